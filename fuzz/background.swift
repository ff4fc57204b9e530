// libFuzzer harness for background files (what `annotate background` writes and `scan
// --background` and `merge` read): `BackgroundFile.read(path:)` and `header(path:)`, and
// the round trip through `BackgroundFile.write`. Compiled into the Background module's own
// sources (scripts/fuzz.sh background).
//
// The input is the file. Thrown GenomeIOErrors are expected; a trap, an ASan report, a leak
// or a hang is a bug, and so is any of these not holding:
//   - a file that reads has a header that reads too, with the same settings and part;
//   - written back with `BackgroundFile.write`, it reads again, to the same settings and a
//     content that writes the very same text (so the same content).
import GenomeIO

#if canImport(Glibc)
import Glibc
#endif

/// One unlinked file per process (in /dev/shm when it is writable), opened by ByteStream
/// as /proc/self/fd/N: nothing is left behind, whatever way the process ends.
private let inputFile: (fd: Int32, path: String) = {
    let directory = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : (getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp")
    var template = Array("\(directory)/annotate-fuzz-background-XXXXXX".utf8CString)
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

/// Where the written files go: a directory of this process's own, removed at exit.
private let outputDirectory: String = {
    let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : (getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp")
    var template = Array("\(base)/annotate-fuzz-background-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    require(made != nil, "mkdtemp in \(base) failed")
    return String(cString: made!)
}()

private let outputPath: String = {
    atexit {
        unlink(outputDirectory + "/written")
        rmdir(outputDirectory)
    }
    return outputDirectory + "/written"
}()

/// Writes `content` and returns the file's bytes.
private func written(_ content: BackgroundFile.Content, _ settings: BackgroundSettings) -> [UInt8] {
    do throws(GenomeIOError) {
        let file = try OutputFile(path: outputPath)
        try BackgroundFile.write(content, settings: settings, to: file)
        try file.commit()
        return try ByteStream.contents(of: outputPath)
    } catch {
        fatalError("writing a background that was read: \(error)")
    }
}

private func part(_ content: BackgroundFile.Content) -> (shard: Int, of: Int)? {
    if case let .part(shard, count, _) = content { return (shard, count) }
    return nil
}

/// ANNOTATE_FUZZ_VERBOSE=1 prints the errors thrown, to see how far the seeds get.
private let verbose = getenv("ANNOTATE_FUZZ_VERBOSE") != nil

/// A precondition that says why in an optimized build too.
private func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    store(UnsafeRawBufferPointer(start: data, count: size))
    let header: (settings: BackgroundSettings, part: (shard: Int, of: Int)?)?
    do throws(GenomeIOError) {
        header = try BackgroundFile.header(path: inputFile.path)
    } catch {
        let message = error.description
        if verbose { print(message) }
        header = nil
    }
    let read: (settings: BackgroundSettings, content: BackgroundFile.Content)
    do throws(GenomeIOError) {
        read = try BackgroundFile.read(path: inputFile.path)
    } catch {
        let message = error.description
        if verbose { print(message) }
        return 0
    }
    guard let header else { fatalError("the file reads, and its header does not") }
    guard header.settings == read.settings, header.part.map({ [$0.shard, $0.of] }) == part(read.content).map({ [$0.shard, $0.of] }) else {
        fatalError("the header's settings or part differ from the file's: \(header) and \(read.settings), \(String(describing: part(read.content)))")
    }

    let once = written(read.content, read.settings)
    let again: (settings: BackgroundSettings, content: BackgroundFile.Content)
    do throws(GenomeIOError) {
        again = try BackgroundFile.read(path: outputPath)
    } catch {
        fatalError("the background written back does not read: \(error)\n\(String(decoding: once, as: UTF8.self))")
    }
    guard again.settings == read.settings else { fatalError("the settings written back read as others: \(read.settings), \(again.settings)") }
    let twice = written(again.content, again.settings)
    guard once == twice else {
        fatalError("the background written back reads as another:\n\(String(decoding: once, as: UTF8.self))\n---\n\(String(decoding: twice, as: UTF8.self))")
    }
    return 0
}
