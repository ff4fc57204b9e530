// libFuzzer harness for the indexes of a FASTA read at random: `.fai` text
// (`FastaIndex(parsing:path:)`), `.gzi` bytes (`BGZFBlockIndex(parsing:path:)`) and
// `IndexedFasta` (with `IndexedRecord`) reading a fixed small FASTA, plain or BGZF in
// members of 23 bytes, through them. Compiled into the GenomeIO module's own sources
// (scripts/fuzz.sh faidx).
//
// The input's first byte picks the FASTA (bit 0: BGZF) and seeds the ranges read; the rest
// is the .fai text up to the first NUL byte and then the .gzi bytes (without a NUL, the
// FASTA's own .gzi). Both are written beside the FASTA and parsed on their own. Thrown
// GenomeIOErrors are expected; a trap, an ASan report, a leak or a hang is a bug, and so is
// any of these not holding:
//   - an index that parses writes back (`text`, `bytes`) to text that parses to it again,
//     and a .gzi's members start in order, the first at (0, 0);
//   - every read through an IndexedFasta that opens either throws or gives exactly the
//     bases the FASTA holds there, for the records the FASTA has where the index puts them
//     (their first base's offset is the true one; whatever the other columns say); reads of
//     other entries (other names, or other offsets, which may well be lines of the FASTA
//     with bases of their own) give letters or throw.
import BrowserFormats
import CZlib

#if canImport(Glibc)
import Glibc
#endif

/// The FASTA: per record its header, bases, line length and line end; `empty` has no bases
/// (faidx leaves it out) and chr4 has no newline at the end of the file.
private let records: [(name: String, header: String, bases: String, width: Int, end: String)] = [
    ("chr1", ">chr1 first record", "ACGTACGTACGGGCCCAAATTTGCA", 10, "\n"),
    ("chr2", ">chr2", "acgtnNNNNacgtACGATTACAGATTACAGtt", 15, "\n"),
    ("empty", ">empty", "", 10, "\n"),
    ("chr3", ">chr3\tsecond\tword", "ACGTACGTCCGGAATTCCGGRYKM", 8, "\r\n"),
    ("chr4", ">chr4", "GATTACA", 7, "\n"),
]

private let fastaText: [UInt8] = {
    var text = ""
    for (k, record) in records.enumerated() {
        text += record.header + record.end
        var rest = Substring(record.bases)
        while !rest.isEmpty {
            text += rest.prefix(record.width)
            rest = rest.dropFirst(record.width)
            if !(k == records.count - 1 && rest.isEmpty) { text += record.end }
        }
    }
    return Array(text.utf8)
}()

private let truth: [String: [UInt8]] = Dictionary(uniqueKeysWithValues: records.map { ($0.name, Array($0.bases.utf8)) })

/// A directory of its own for the FASTA files and the indexes beside them.
private let directory: String = {
    let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : (getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp")
    var template = Array("\(base)/annotate-fuzz-faidx-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    require(made != nil, "mkdtemp in \(base) failed")
    return String(cString: made!)
}()

private func write(_ bytes: [UInt8], to path: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    require(fd >= 0, "cannot write \(path)")
    var done = 0
    while done < bytes.count {
        let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress! + done, bytes.count - done, off_t(done)) }
        require(n > 0, "pwrite failed")
        done += n
    }
    close(fd)
}

/// The FASTA as BGZF in members of 23 bytes, and the BGZF end-of-file member.
private func bgzf(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var start = 0
    while start < bytes.count {
        let piece = Array(bytes[start..<min(bytes.count, start + 23)])
        out += piece.withUnsafeBytes { (try? BGZF.member($0)) ?? [] }
        start += 23
    }
    return out + BGZF.endOfFile
}

/// The two FASTA files, their true indexes, and the files they are written to.
private struct Setup {
    let plain: String, compressed: String
    let fai: FastaIndex, gzi: BGZFBlockIndex
}

private let setup: Setup = {
    let plain = directory + "/plain.fa", compressed = directory + "/bgzf.fa.gz"
    write(fastaText, to: plain)
    write(bgzf(fastaText), to: compressed)
    atexit {
        for name in ["plain.fa", "plain.fa.fai", "bgzf.fa.gz", "bgzf.fa.gz.fai", "bgzf.fa.gz.gzi"] { unlink(directory + "/" + name) }
        rmdir(directory)
    }
    do {
        let fai = try FastaIndex.build(reading: ByteStream(path: plain))
        let gzi = try BGZFBlockIndex(building: compressed)
        require(gzi.blocks.count > 5, "the BGZF FASTA has \(gzi.blocks.count) members")
        require(fai.entries.map(\.name) == records.filter { !$0.bases.isEmpty }.map(\.name), "faidx of the FASTA: \(fai)")
        // ANNOTATE_FUZZ_SEEDS=DIR writes the seed corpus's index files.
        if let seeds = getenv("ANNOTATE_FUZZ_SEEDS").map({ String(cString: $0) }) {
            write([0] + Array(fai.text.utf8), to: seeds + "/plain")
            write([1] + Array(fai.text.utf8) + [0] + gzi.bytes, to: seeds + "/bgzf")
            write([1] + Array(fai.text.utf8), to: seeds + "/bgzf-without-gzi")
        }
        return Setup(plain: plain, compressed: compressed, fai: fai, gzi: gzi)
    } catch {
        fatalError("the harness's own FASTA: \(error)")
    }
}()

private func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }

/// Reads `name` [begin, end) and checks the bases against the truth where it applies.
private func check(_ fasta: IndexedFasta, _ entry: FastaIndex.Entry, from begin: Int, to end: Int, exact: [UInt8]?) {
    do throws(GenomeIOError) {
        let bases = try fasta.bases(of: entry.name, from: begin, to: end)
        let (low, high) = (max(0, begin), min(end, entry.length))
        require(bases.count == max(0, high - low), "\(entry.name) [\(begin), \(end)): \(bases.count) bases for an entry of \(entry.length)")
        require(bases.allSatisfy(isLetter), "\(entry.name) [\(begin), \(end)): not letters: \(bases)")
        if let exact {
            let expected = low < high && high <= exact.count ? Array(exact[low..<high]) : (low >= high ? [] : nil)
            guard bases == expected else {
                fatalError("\(entry.name) [\(begin), \(end)) read through \(entry) gives \(String(decoding: bases, as: UTF8.self)), "
                    + "the FASTA holds \(expected.map { String(decoding: $0, as: UTF8.self) } ?? "no bases there")")
            }
        }
    } catch {
        let message = error.description
        if verbose { print(message) }
    }
}

/// Reads a record through IndexedRecord in pieces of `piece`, skipping `skip` bases after the first piece.
private func checkRecord(_ fasta: IndexedFasta, _ entry: FastaIndex.Entry, piece: Int, skip: Int, exact: [UInt8]?) {
    let record = IndexedRecord(fasta, entry)
    let out = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: piece)
    defer { out.deallocate() }
    var got: [UInt8] = [], position = 0, scratch: [UInt8] = []
    do throws(GenomeIOError) {
        let first = try record.readBases(into: out)
        got += out[..<first]
        position += first
        let skipped = try record.skipBases(skip, into: &scratch)
        require(skipped >= 0 && skipped <= skip, "skipped \(skipped) of \(skip)")
        position += skipped
        let after = position
        while true {
            let n = try record.readBases(into: out)
            if n == 0 { break }
            got += out[..<n]
            position += n
            require(position <= entry.length, "IndexedRecord read past the entry's length")
        }
        require(position == entry.length, "IndexedRecord ended at \(position) of \(entry.length)")
        if let exact {
            // Only the bases read must be there: the skipped ones may lie past the record's end.
            let tail = after < entry.length ? (entry.length <= exact.count ? Array(exact[after..<entry.length]) : nil) : []
            let expected = first <= exact.count ? tail.map { Array(exact[0..<first]) + $0 } : nil
            guard got == expected else {
                fatalError("IndexedRecord \(entry) in pieces of \(piece), skipping \(skip): \(String(decoding: got, as: UTF8.self))")
            }
        }
    } catch {
        let message = error.description
        if verbose { print(message) }
    }
}

/// ANNOTATE_FUZZ_VERBOSE=1 prints the errors thrown, to see how far the seeds get.
private let verbose = getenv("ANNOTATE_FUZZ_VERBOSE") != nil

/// A precondition that says why in an optimized build too.
private func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size >= 1 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let compressed = bytes[0] & 1 != 0
    var seed = UInt64(bytes[0] >> 1) &* 0x9e37_79b9_7f4a_7c15
    func next(_ bound: Int) -> Int {
        seed = (seed ^ (seed >> 29)) &* 0xbf58_476d_1ce4_e5b9 &+ 0x9e37_79b9_7f4a_7c15
        return Int((seed >> 11) % UInt64(bound))
    }
    let rest = bytes[1...]
    let nul = rest.firstIndex(of: 0)
    let faiBytes = Array(rest[..<(nul ?? rest.endIndex)])
    let gziBytes = nul.map { Array(rest[($0 + 1)...]) } ?? setup.gzi.bytes

    // The indexes on their own.
    if let index = try? FastaIndex(parsing: String(decoding: faiBytes, as: UTF8.self), path: "fuzz.fai") {
        do throws(GenomeIOError) {
            let again = try FastaIndex(parsing: index.text, path: "again.fai")
            require(again == index, "the .fai does not read back as written:\n\(index.text)")
        } catch {
            fatalError("the .fai written back does not parse: \(error)\n\(index.text)")
        }
    }
    if compressed, let blocks = try? BGZFBlockIndex(parsing: gziBytes, path: "fuzz.gzi") {
        require(blocks.blocks.first.map { $0 == (0, 0) } == true, "the .gzi's first member is not at (0, 0)")
        for (a, b) in zip(blocks.blocks, blocks.blocks.dropFirst()) {
            require(a.compressed < b.compressed && a.uncompressed < b.uncompressed, "the .gzi's members are out of order")
        }
        do throws(GenomeIOError) {
            let again = try BGZFBlockIndex(parsing: blocks.bytes, path: "again.gzi")
            require(again == blocks, "the .gzi does not read back as written")
        } catch {
            fatalError("the .gzi written back does not parse: \(error)")
        }
    }

    // The FASTA read through them.
    let path = compressed ? setup.compressed : setup.plain
    write(faiBytes, to: path + ".fai")
    if compressed { write(gziBytes, to: path + ".gzi") }
    guard let fasta = try? IndexedFasta(path: path) else { return 0 }
    for entry in fasta.index.entries.prefix(8) {
        let exact = setup.fai.entry(named: entry.name).flatMap { $0.offset == entry.offset ? truth[entry.name] : nil }
        let length = min(entry.length, 200)
        check(fasta, entry, from: 0, to: entry.length, exact: exact)
        for _ in 0..<4 {
            let begin = next(length + 3) - 1
            check(fasta, entry, from: begin, to: begin + next(40), exact: exact)
        }
        if entry.length <= 1 << 16 {
            checkRecord(fasta, entry, piece: 1 + next(12), skip: next(length + 2), exact: exact)
        }
    }
    return 0
}
