import Foundation
import GenomeIO
import Model

#if canImport(Glibc)
import Glibc
#endif

// What every command shares beyond its options: exit statuses, error lines, result lines
// and output files.

/// The exit statuses of every command (the README's table).
enum ExitStatus {
    /// The job ran to the end and its output is complete.
    static let success: Int32 = 0
    /// Bad input, a failed read or write, or a model that cannot be used: one line on stderr
    /// names the file (and the record, line and column where they apply); no output file appears.
    static let failure: Int32 = 1
    /// The command line is wrong: an unknown option, a missing or out-of-range value.
    static let usage: Int32 = 2
    // A run stopped by SIGINT, SIGTERM or SIGHUP dies of the signal (the shell shows 128 + n).
}

/// Turns the modules' typed errors into one line on stderr and exit status 1.
func reportingErrors(_ command: String, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ModelError {
        fail(command, error.description)
    } catch let error as GenomeIOError {
        fail(command, error.description)
    }
}

/// Stops with one line before anything is read when an output names one of the inputs: the
/// same file by another spelling, a hard link or a symlink. The output would replace it
/// when it is committed (`scan -o genome.fa genome.fa`). `outputs` pairs each option with
/// its path (nil or - for stdout); stdin and files that do not exist yet are no inputs.
func refuseOverwritingInputs(_ command: String, inputs: [String?], outputs: [(option: String, path: String?)]) {
    func identity(_ path: String) -> (dev_t, ino_t)? {
        var info = stat()
        guard path != "-", stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return (info.st_dev, info.st_ino)
    }
    let named = inputs.compactMap { $0 }.compactMap { path in identity(path).map { (path, $0) } }
    for (option, path) in outputs {
        guard let path, let output = identity(path) else { continue }
        if let (input, _) = named.first(where: { $0.1 == output }) {
            let which = input == path ? "an input" : "the input \(input) under another name"
            fail(command, "\(option) \(path) is \(which): writing there would replace it; give another output file")
        }
    }
}

/// Prints the error line and exits 1. The message is made and released before `exit`, which
/// does not unwind: nothing the line needed is left allocated (LeakSanitizer sees none).
func fail(_ command: String, _ message: @autoclosure () -> String) -> Never {
    printError("annotate \(command): \(message())")
    exit(ExitStatus.failure)
}

func printError(_ line: String) {
    var text = line + "\n"
    text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
}

/// Writes `line` and a newline to stdout, unbuffered, and reports a failed write (a full
/// disk, `> /dev/full`) as an error instead of exiting 0 with the result lost. A reader that
/// went away (`| head`) is not an error.
func printResult(_ line: String) throws(GenomeIOError) {
    let out = try OutputFile(path: nil)
    try out.write(line + "\n")
    try out.commit()
}

/// A file name from a sequence id: letters, digits, `.`, `-` and `_` kept, anything else `_`,
/// with the 1-based input index first so that names never collide.
func fileName(_ id: String, index: Int) -> String {
    let safe = String(id.map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "_" }.prefix(80))
    return String(format: "%04d", index + 1) + "_" + safe
}

/// Creates `directory` if needed and writes each (name, text) into it, each through
/// `OutputFile` so a failed run leaves no half-written file.
func writeFiles(into directory: String, _ files: [(String, String)]) throws {
    do {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
        throw GenomeIOError.cannotOpen(path: directory, reason: "cannot create the directory")
    }
    for (name, text) in files {
        let out = try OutputFile(path: (directory as NSString).appendingPathComponent(name))
        try out.write(text)
        try out.commit()
    }
}
