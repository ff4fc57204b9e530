import ArgumentParser
import Model

#if canImport(Glibc)
import Glibc
#endif

#if canImport(Glibc)
/// glibc's `mallopt` (malloc.h, which the Glibc module leaves out).
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif

@main
struct Annotate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotate",
        abstract: "Find candidate transcription-factor binding sites with a small convolutional network.",
        version: "0.1.0",
        subcommands: [Scan.self, Train.self, Evaluate.self, Predict.self, Explain.self, Motifs.self, Index.self, Fetch.self, Background.self, Merge.self, Variants.self]
    )

    /// What `--version` prints: the version, the CPU features the build needs, and the
    /// built-in model's shape and fingerprint (the SHA-256 of its shape and weights that
    /// background files name it by).
    static var versionText: String {
        let features = CPUCheck.buildFeatures.map { $0 == "avx512f" ? "AVX-512" : $0.uppercased() }
        #if arch(x86_64)
        let target = features.isEmpty ? "any x86-64 (portable build)" : "x86-64 with " + features.joined(separator: ", ")
        #elseif arch(arm64)
        let target = "arm64"
        #else
        let target = "this architecture"
        #endif
        var lines = ["annotate \(configuration.version)", "build: \(target)"]
        if let model = try? Network.builtin() {
            let width: String = if case let .conv1d(filters, kernelSize, _, _)? = model.layers.first {
                ", \(filters) filters of width \(kernelSize)"
            } else { "" }
            lines.append("built-in model: \(model.name)\(width), \(model.inputLength)-bp windows, SHA-256 \(model.fingerprint)")
        }
        return lines.joined(separator: "\n")
    }

    /// "annotate" and the subcommand the arguments name, if they name one: what messages start with.
    static func commandName(in arguments: [String]) -> String {
        guard arguments.count > 1, configuration.subcommands.contains(where: { $0._commandName == arguments[1] }) else { return "annotate" }
        return "annotate \(arguments[1])"
    }

    static func main() {
        // A reader that goes away (`annotate … | head`) shows up as EPIPE, handled quietly.
        signal(SIGPIPE, SIG_IGN)
        #if canImport(Glibc)
        // Workers allocate and free a work item's buffers (a few MB) over and over; glibc
        // otherwise hands the top of each arena back to the kernel and takes it again, and
        // the page faults cost a scan with statistics about 8 % of its time.
        _ = glibcMallopt(-2 /* M_TOP_PAD */, 64 << 20)
        #endif
        CPUCheck.requireBuildFeatures()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            // `--version`: the program, its version, what it was built for and the built-in model.
            if code == .success, fullMessage(for: error) == configuration.version {
                print(versionText)
                Glibc.exit(ExitStatus.success)
            }
            // ArgumentParser gives usage errors EX_USAGE (64); ours are 2, as the README says,
            // in one line that starts as every other message of the command does.
            if code == .validationFailure {
                let command = commandName(in: CommandLine.arguments)
                printError("\(command): \(message(for: error)) (see \(command) --help)")
                Glibc.exit(ExitStatus.usage)
            }
            exit(withError: error)
        }
    }
}
