// libFuzzer harness for ByteStream (gzip/BGZF/plain by magic bytes, zlib inflate) and
// FastaReader. Compiled into the GenomeIO module's own sources (scripts/fuzz.sh fasta), so
// internal API is reachable.
//
// The input is the file. It is read three ways, and all must agree:
//   A. a 64 KiB FastaReader buffer (the default 4 MiB one halves exec/s, and inputs of
//      libFuzzer's size hardly ever fill it), bases pulled 64 KiB at a time;
//   B. a 16- to 79-byte buffer and 1- to 37-byte pulls (sizes from a hash of the input),
//      skipping the bases of every third record (nextRecord's skip path);
//   C. when the input is not gzip: the input gzipped here as two members, split at a
//      point from the same hash, read like B but without skipping.
// Thrown GenomeIOErrors are expected; a trap, an ASan report, a leak, a hang or a
// disagreement between A, B and C is a bug. When A or B ends in corrupt, truncated or
// otherwise failed gzip only the records before it are compared, since how much output
// comes before the error depends on the output buffer: for bad data, how far zlib gets
// before it notices; for a truncated stream, ByteStream.read throws as soon as the raw
// input is used up, before zlib's pending output is drained (the first finding, see
// fuzz/README.md).
import CZlib

#if canImport(Glibc)
import Glibc
#endif

private struct Record: Equatable {
    var name: String
    var line: Int
    /// -1 until the record's bases are read to the end (or when they were skipped).
    var bases = -1
    var hash: UInt64 = 0
}

private struct Outcome: Equatable {
    var records = [Record]()
    var error: GenomeIOError?
}

/// One unlinked file per process (in /dev/shm when it is writable), opened by ByteStream
/// as /proc/self/fd/N: nothing is left behind, whatever way the process ends.
private let inputFile: (fd: Int32, path: String) = {
    let directory = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : (getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp")
    var template = Array("\(directory)/annotate-fuzz-fasta-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    precondition(fd >= 0, "mkstemp in \(directory) failed")
    _ = template.withUnsafeBufferPointer { unlink($0.baseAddress!) }
    return (fd, "/proc/self/fd/\(fd)")
}()

private func store(_ bytes: UnsafeRawBufferPointer) {
    precondition(ftruncate(inputFile.fd, 0) == 0, "ftruncate failed")
    var done = 0
    while done < bytes.count {
        let n = pwrite(inputFile.fd, bytes.baseAddress! + done, bytes.count - done, off_t(done))
        precondition(n > 0, "pwrite failed")
        done += n
    }
}

private func read(bufferSize: Int, chunk: Int, skipEvery: Int?) -> Outcome {
    var outcome = Outcome()
    let out = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: chunk)
    defer { out.deallocate() }
    do throws(GenomeIOError) {
        let stream = try ByteStream(path: inputFile.path)
        let reader = FastaReader(stream: stream, bufferSize: bufferSize)
        var index = 0
        while let header = try reader.nextRecord() {
            precondition(!header.name.isEmpty && header.line >= 1, "bad header \(header)")
            outcome.records.append(Record(name: header.name, line: header.line))
            defer { index += 1 }
            if let skipEvery, index % skipEvery == skipEvery - 1 { continue }
            var count = 0
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            while true {
                let n = try reader.readBases(into: out)
                precondition((0...chunk).contains(n), "readBases returned \(n) for \(chunk)")
                if n == 0 { break }
                for byte in out[..<n] {
                    precondition((byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z"),
                                 "readBases gave byte \(byte), not a letter")
                    hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
                }
                count += n
            }
            // The record has ended: asking again gives nothing.
            let more = try reader.readBases(into: out)
            precondition(more == 0, "bases after the end of a record")
            outcome.records[index].bases = count
            outcome.records[index].hash = hash
        }
        let another = try reader.nextRecord()
        precondition(another == nil, "a record after the end of input")
    } catch {
        outcome.error = error
    }
    return outcome
}

/// The input as two gzip members split at `split`, as `cat a.gz b.gz` makes.
private func gzipTwoMembers(_ bytes: UnsafeRawBufferPointer, split: Int) -> [UInt8] {
    var out = [UInt8]()
    for part in [0..<split, split..<bytes.count] {
        var stream = z_stream()
        precondition(deflateInit2_(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                                   Int32(MemoryLayout<z_stream>.size)) == Z_OK)
        var input = Array(bytes[part])
        var buffer = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 64)
        let status = input.withUnsafeMutableBufferPointer { source in
            buffer.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        precondition(status == Z_STREAM_END, "deflate: \(status)")
        out += buffer[..<Int(stream.total_out)]
        deflateEnd(&stream)
    }
    return out
}

private func isGzipError(_ error: GenomeIOError?) -> Bool {
    switch error {
    case .corruptGzip?, .truncatedGzip?, .zlib?: true
    default: false
    }
}

/// B's records and error must match A's; skipped records match by name and line only.
private func check(_ a: Outcome, _ b: Outcome, skipEvery: Int?, _ what: String) {
    func fail(_ reason: String) -> Never {
        fatalError("\(what) disagrees with the 64 KiB reader: \(reason)\nA: \(a)\nB: \(b)")
    }
    let partial = isGzipError(a.error) || isGzipError(b.error)
    if !partial {
        guard a.records.count == b.records.count else { fail("record count") }
        guard a.error == b.error else { fail("error") }
    }
    for (index, (x, y)) in zip(a.records, b.records).enumerated() {
        let last = index == min(a.records.count, b.records.count) - 1
        guard x.name == y.name, x.line == y.line else { fail("record \(index + 1) header") }
        if let skipEvery, index % skipEvery == skipEvery - 1 { continue }
        if partial && last { continue }
        guard x.bases == y.bases, x.hash == y.hash else { fail("record \(index + 1) bases") }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    var h: UInt64 = 0x9e37_79b9_7f4a_7c15 ^ UInt64(size)
    for byte in bytes.prefix(64) { h = (h ^ UInt64(byte)) &* 0xff51_afd7_ed55_8ccd }
    let smallBuffer = 16 + Int(h % 64)
    let smallChunk = 1 + Int((h >> 8) % 37)
    let split = size == 0 ? 0 : Int((h >> 16) % UInt64(size + 1))

    store(bytes)
    let a = read(bufferSize: 1 << 16, chunk: 1 << 16, skipEvery: nil)
    let b = read(bufferSize: smallBuffer, chunk: smallChunk, skipEvery: 3)
    check(a, b, skipEvery: 3, "small buffer \(smallBuffer), pulls of \(smallChunk), skipping every third record")

    let isGzip = size >= 2 && data[0] == 0x1F && data[1] == 0x8B
    if !isGzip {
        let gzipped = gzipTwoMembers(bytes, split: split)
        gzipped.withUnsafeBytes { store($0) }
        let c = read(bufferSize: smallBuffer, chunk: smallChunk, skipEvery: nil)
        check(a, c, skipEvery: nil, "two gzip members split at \(split) (buffer \(smallBuffer), pulls of \(smallChunk))")
    }
    return 0
}
