// libFuzzer harness for the VCF reading of `annotate variants`: `VariantLine.parse` on each
// line of the input, and `VariantReader` reading the input as a VCF file (its header, then
// its records) against a small fixed FASTA with its .fai, written once into a directory of
// its own. Compiled into the Variants module's own sources (scripts/fuzz.sh vcf).
//
// The window length (1 to 16), strictness and output format come from a hash of the input.
// Thrown GenomeIOErrors are expected; a trap, an ASan report, a leak or a hang is a bug,
// and so is any of these not holding:
//   - a parsed line keeps its bytes, and its CHROM, POS, REF, ALT and INFO are its first,
//     second, fourth, fifth and eighth columns; a line that is refused has a reason;
//   - the header read starts with the input's first line and ends with its #CHROM line;
//   - a record's job has the parsed line, an effect per ALT allele and, when its REF lies
//     inside a record of the FASTA, the REF haplotype first: the FASTA's bases around the
//     REF, up to a window length − 1 on each side and inside the record; each ALT that is
//     a sequence has a haplotype of the same bases with the REF replaced by it; a REF that
//     differs from the FASTA is flagged (and refused with --strict); the summary counts
//     each record once.
import GenomeIO

#if canImport(Glibc)
import Glibc
#endif

/// The FASTA: three records of other line lengths, mixed case.
private let records: [(name: String, bases: String, width: Int)] = [
    ("chr1", "ACGTACGTACGGGCCCAAATTTGCAGATTACAGATTACAGGGAATTCCTTAAGG", 10),
    ("chr2", "acgtnNNNNacgtACGATTACAG", 15),
    ("chrM", "TTAGGG", 60),
]

private let truth: [String: [UInt8]] = Dictionary(uniqueKeysWithValues: records.map { ($0.name, Array($0.bases.utf8)) })

private let directory: String = {
    let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : (getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp")
    var template = Array("\(base)/annotate-fuzz-vcf-XXXXXX".utf8CString)
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

/// Read by this one thread only.
nonisolated(unsafe) private let fasta: IndexedFasta = {
    var text = ""
    for record in records {
        text += ">\(record.name) test\n"
        var rest = Substring(record.bases)
        while !rest.isEmpty {
            text += rest.prefix(record.width) + "\n"
            rest = rest.dropFirst(record.width)
        }
    }
    let path = directory + "/genome.fa"
    write(Array(text.utf8), to: path)
    atexit {
        for name in ["genome.fa", "genome.fa.fai", "input.vcf"] { unlink(directory + "/" + name) }
        rmdir(directory)
    }
    do {
        let index = try FastaIndex.build(reading: ByteStream(path: path))
        write(Array(index.text.utf8), to: path + ".fai")
        return try IndexedFasta(path: path)
    } catch {
        fatalError("the harness's own FASTA: \(error)")
    }
}()

private let inputPath = directory + "/input.vcf"

private func text(_ bytes: some Collection<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

private func checkLine(_ line: [UInt8]) {
    let (parsed, reason) = VariantLine.parse(line)
    guard let parsed else {
        require(reason?.isEmpty == false, "a line refused without a reason: \(text(line))")
        return
    }
    let columns = line.split(separator: 0x09, maxSplits: 8, omittingEmptySubsequences: false)
    func fail(_ what: String) -> Never { fatalError("\(what) of the parsed line is not its column: \(String(reflecting: text(line)))") }
    guard parsed.bytes == line else { fail("the bytes") }
    guard columns.count >= 8, parsed.chromosome == text(columns[0]) else { fail("CHROM") }
    guard Int(text(columns[1])) == parsed.position, parsed.position >= 0 else { fail("POS") }
    guard parsed.reference.elementsEqual(columns[3]), !parsed.reference.isEmpty else { fail("REF") }
    let alternates = parsed.alternates.isEmpty ? [UInt8(ascii: ".")] : Array(parsed.alternates.joined(separator: [0x2C]))
    guard alternates.elementsEqual(columns[4]), parsed.alternates.allSatisfy({ !$0.isEmpty }) else { fail("ALT") }
    guard parsed.bytes[parsed.info].elementsEqual(columns[7]) else { fail("INFO") }
}

private func checkJob(_ job: VariantJob, windowLength: Int, strict: Bool) {
    let line = job.line
    func fail(_ what: String) -> Never {
        fatalError("\(what): \(String(reflecting: text(line.bytes))), window \(windowLength), haplotypes \(job.haplotypes.map { ($0.start, text($0.bases)) })")
    }
    let start = line.position - 1, end = start + line.reference.count
    guard let bases = truth[line.chromosome], start >= 0, end <= bases.count else {
        guard job.haplotypes.isEmpty, job.alternates.allSatisfy({ $0 == nil }) else { fail("haplotypes of a record outside the FASTA") }
        return
    }
    guard job.alternates.count == line.alternates.count, job.effect.alleles.count == line.alternates.count else { fail("not one effect per ALT") }
    guard let reference = job.haplotypes.first else { fail("no REF haplotype") }
    let from = max(0, start - (windowLength - 1)), to = min(bases.count, end + windowLength - 1)
    guard reference.start == from, reference.bases == Array(bases[from..<to]) else { fail("the REF haplotype is not the FASTA's bases around the REF") }
    guard reference.start >= 0, reference.start + reference.bases.count <= bases.count else { fail("the REF haplotype leaves its record") }
    let mismatch = !bases[start..<end].elementsEqual(line.reference) { $0 & 0xDF == $1 & 0xDF }
    guard job.effect.referenceMismatch == mismatch, !(strict && mismatch) else { fail("the REF mismatch is not flagged as it is") }
    var used = 1
    for (allele, index) in zip(line.alternates, job.alternates) {
        guard let index else {
            guard !VariantLine.isSequence(allele) else { fail("a sequence ALT is skipped") }
            continue
        }
        guard VariantLine.isSequence(allele), index == used, index < job.haplotypes.count else { fail("an ALT's haplotype is not the next") }
        used += 1
        let haplotype = job.haplotypes[index]
        let expected = Array(bases[from..<start]) + allele + Array(bases[end..<to])
        guard haplotype.start == from, haplotype.bases == expected else { fail("an ALT haplotype is not the REF's with the ALT in place") }
    }
    guard used == job.haplotypes.count else { fail("haplotypes of no allele") }
}

/// ANNOTATE_FUZZ_VERBOSE=1 prints the errors thrown, to see how far the seeds get.
private let verbose = getenv("ANNOTATE_FUZZ_VERBOSE") != nil

/// A precondition that says why in an optimized build too.
private func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var h: UInt64 = 0x9e37_79b9_7f4a_7c15 ^ UInt64(size)
    for byte in bytes.prefix(64) { h = (h ^ UInt64(byte)) &* 0xff51_afd7_ed55_8ccd }
    let windowLength = 1 + Int(h % 16), strict = (h >> 8) & 3 == 0, format: VariantFormat = (h >> 10) & 1 == 0 ? .vcf : .tsv

    write(bytes, to: inputPath)
    // The text the reader reads (a gzip input decompressed).
    let decompressed = try? ByteStream.contents(of: inputPath)
    let plain = decompressed ?? bytes
    for line in plain.split(separator: 0x0A, omittingEmptySubsequences: false).prefix(256) {
        checkLine(Array(line.last == 0x0D ? line.dropLast() : line))
    }

    let first = plain.split(separator: 0x0A, maxSplits: 1, omittingEmptySubsequences: false).first.map(Array.init) ?? []
    do throws(GenomeIOError) {
        var reader = try VariantReader(path: inputPath, fasta: fasta, windowLength: windowLength, numbers: ["chr1": 0, "chr2": 1],
                                       strict: strict, warn: { _ in })
        let header = try reader.header(model: "fuzz", format: format)
        // (Unless the input is damaged gzip: then its first line is not known here.)
        if format == .vcf, decompressed != nil {
            let firstLine = first.last == 0x0D ? Array(first.dropLast()) : first
            require(header.starts(with: firstLine + [0x0A]), "the header does not start with the input's first line")
            let lines = header.split(separator: 0x0A)
            require(lines.last?.starts(with: "#CHROM".utf8) == true, "the header does not end with #CHROM")
        }
        var count = 0
        while let job = try reader.next() {
            count += 1
            require(reader.summary.records == count, "the summary counts \(reader.summary.records) records of \(count)")
            checkJob(job, windowLength: windowLength, strict: strict)
        }
    } catch {
        let message = error.description
        if verbose { print(message) }
    }
    return 0
}
