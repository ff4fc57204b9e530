import ArgumentParser
import Model
import Scanner

#if canImport(Glibc)
import Glibc
#endif

@main
struct Annotate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotate",
        abstract: "Find candidate transcription-factor binding sites with a small convolutional network.",
        version: "0.1.0",
        subcommands: [Scan.self, Train.self, Evaluate.self, Predict.self, Explain.self, Motifs.self]
    )

    static func main() {
        // A reader that goes away (`annotate … | head`) shows up as EPIPE, handled quietly.
        signal(SIGPIPE, SIG_IGN)
        CPUCheck.requireBuildFeatures()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            // ArgumentParser gives usage errors EX_USAGE (64); ours are 2, as the README says.
            let code = exitCode(for: error)
            if code == .validationFailure {
                printError(fullMessage(for: error))
                Glibc.exit(ExitStatus.usage)
            }
            exit(withError: error)
        }
    }
}

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
    } catch let error as ScannerError {
        fail(command, error.description)
    }
}

func fail(_ command: String, _ message: String) -> Never {
    printError("annotate \(command): \(message)")
    exit(ExitStatus.failure)
}

func printError(_ line: String) {
    var text = line + "\n"
    text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
}

/// Writes `line` and a newline to stdout, unbuffered, and reports a failed write (a full
/// disk, `> /dev/full`) as an error instead of exiting 0 with the result lost. A reader that
/// went away (`| head`) is not an error.
func printResult(_ line: String) throws(ScannerError) {
    let out = try OutputFile(path: nil)
    try out.write(line + "\n")
    try out.commit()
}
