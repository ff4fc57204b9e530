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
            exit(withError: error)
        }
    }
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
    exit(1)
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
