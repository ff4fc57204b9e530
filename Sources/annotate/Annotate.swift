import ArgumentParser
import Model

#if canImport(Glibc)
import Glibc
#endif

@main
struct Annotate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotate",
        abstract: "Find candidate transcription-factor binding sites with a small convolutional network.",
        version: "0.1.0",
        subcommands: [Scan.self, Train.self, Evaluate.self, Predict.self, Explain.self, Motifs.self, Index.self, Fetch.self, Background.self, Merge.self, Variants.self]
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
