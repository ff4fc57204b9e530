// libFuzzer harness for shard files (what `annotate scan --shard I/N` writes and `merge`
// reads): `ShardMerge.kind(of:)`, and `ShardMerge.run(paths:output:)` merging the input as
// the one shard of one into a file of its own. Compiled into the Scan module's own sources
// (scripts/fuzz.sh shard). The seeds include background files, which merge is also given.
//
// The input is the file. Thrown GenomeIOErrors are expected; a trap, an ASan report, a leak
// or a hang is a bug, and so is any of these not holding:
//   - a file that merges is of the shard kind, and a background's part never merges;
//   - the merged BED or narrowPeak has as many lines as the summary says it wrote, besides
//     a track line.
import GenomeIO

#if canImport(Glibc)
import Glibc
#endif

/// One unlinked file per process (in /dev/shm when it is writable), opened by ByteStream
/// as /proc/self/fd/N: nothing is left behind, whatever way the process ends.
private let inputFile: (fd: Int32, path: String) = {
    let directory = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : (getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp")
    var template = Array("\(directory)/annotate-fuzz-shard-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    require(fd >= 0, "mkstemp in \(directory) failed")
    _ = template.withUnsafeBufferPointer { unlink($0.baseAddress!) }
    return (fd, "/proc/self/fd/\(fd)")
}()

private func store(_ bytes: UnsafeRawBufferPointer) {
    require(ftruncate(inputFile.fd, 0) == 0, "ftruncate failed")
    var done = 0
    while done < bytes.count {
        let n = pwrite(inputFile.fd, bytes.baseAddress! + done, bytes.count - done, off_t(done))
        require(n > 0, "pwrite failed")
        done += n
    }
}

/// Where the merge writes: a directory of this process's own, removed at exit.
private let outputDirectory: String = {
    let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : (getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp")
    var template = Array("\(base)/annotate-fuzz-shard-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    require(made != nil, "mkdtemp in \(base) failed")
    return String(cString: made!)
}()

private let outputPath: String = {
    atexit {
        unlink(outputDirectory + "/merged")
        rmdir(outputDirectory)
    }
    return outputDirectory + "/merged"
}()

/// ANNOTATE_FUZZ_VERBOSE=1 prints the errors thrown, to see how far the seeds get.
private let verbose = getenv("ANNOTATE_FUZZ_VERBOSE") != nil

/// A precondition that says why in an optimized build too.
private func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    store(bytes)
    var kind: ShardMerge.Kind?
    do throws(GenomeIOError) {
        kind = try ShardMerge.kind(of: inputFile.path)
    } catch {
        let message = error.description
        if verbose { print(message) }
    }
    unlink(outputPath)
    let file: OutputFile
    do throws(GenomeIOError) {
        file = try OutputFile(path: outputPath)
    } catch {
        fatalError("cannot open the output: \(error)")
    }
    let summary: ScanSummary
    do throws(GenomeIOError) {
        summary = try ShardMerge.run(paths: [inputFile.path], output: file)
        try file.commit()
    } catch {
        let message = error.description
        if verbose { print(message) }
        return 0
    }
    require(kind == .shard, "a file of kind \(String(describing: kind)) merges")
    guard let output = try? ByteStream.contents(of: outputPath) else { fatalError("the merged output cannot be read back") }
    // BED and narrowPeak are text; bigBed starts with its magic number.
    let isBigBed = output.starts(with: [0xEB, 0xF2, 0x89, 0x87]) || output.starts(with: [0x87, 0x89, 0xF2, 0xEB])
    if !isBigBed {
        let lines = output.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()
        require(output.isEmpty || output.last == 0x0A, "the merged output does not end in a newline")
        let data = lines.filter { !$0.starts(with: "track ".utf8) }.count
        require(data == summary.linesWritten, "the merge wrote \(data) lines and says \(summary.linesWritten)")
    }
    return 0
}
