import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import GenomeIO
import Model

/// The `--model` option that every scoring command shares.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Model file written by `annotate train` (default: the built-in model).", valueName: "file"))
    var model: String?

    func load() throws -> Network {
        guard let model else { return try Network.builtin() }
        return try Network.load(modelFile: ByteStream.contents(of: model), path: model)
    }
}

/// Where a command reads sequences: a file given as the argument or as `--sequences` (the
/// same thing; the option is the older spelling), or stdin (`-`, or neither when something
/// is piped in). `predict`, `explain`, `train`, `evaluate` and `motifs` share it.
struct SequenceInputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Sequences: one per line, FASTA, or sequence<TAB>label lines, plain or gzip; - for stdin.", valueName: "file"))
    var file: String?

    @Option(help: ArgumentHelp("The same as the file argument.", valueName: "file"))
    var sequences: String?

    func validate() throws {
        if let file, let sequences, file != sequences { throw ValidationError("give the sequences once: as the file argument or as --sequences") }
    }

    /// The path, or "-" for stdin.
    var path: String { sequences ?? file ?? "-" }

    /// The path, after refusing to wait on a terminal for sequences nobody will type.
    private func requirePath(command: String) -> String {
        if path == "-", isatty(0) != 0 {
            fail(command, "no sequences: give a file (annotate \(command) FILE) or pipe them in (zcat set.tsv.gz | annotate \(command) -)")
        }
        return path
    }

    /// The sequences, each of `length` bases when given; `command` names the command in errors.
    func records(command: String, length: Int?) throws -> [SequenceRecord] {
        let path = requirePath(command: command)
        return try SequenceText.parse(ByteStream.contents(of: path), path: path == "-" ? "stdin" : path, length: length)
    }
}

/// Labelled sequence input that `train`, `evaluate` and `motifs` share.
struct LabelledInputOptions: ParsableArguments {
    @OptionGroup var source: SequenceInputOptions

    @Option(help: ArgumentHelp("Labels, one 0/1 per line (not needed for sequence<TAB>label input).", valueName: "file"))
    var labels: String?

    var sequences: String { source.path }

    /// The labelled sequences; `command` names the command in notes and errors.
    func load(command: String, length: Int? = nil) throws -> LabelledSequences {
        try labelled(records(command: command, length: length), command: command)
    }

    /// The records, with their labels where there are any: a labels file, or a label on
    /// every line (`motifs` also works without).
    func loadLabelsIfAny(command: String, length: Int) throws -> (records: [SequenceRecord], labels: [Bool]?) {
        let records = try records(command: command, length: length)
        guard labels != nil || records.allSatisfy({ $0.label != nil }) else { return (records, nil) }
        return (records, try labelled(records, command: command).labels)
    }

    private func records(command: String, length: Int?) throws -> [SequenceRecord] {
        try source.records(command: command, length: length)
    }

    private func labelled(_ records: [SequenceRecord], command: String) throws -> LabelledSequences {
        let path = sequences == "-" ? "stdin" : sequences
        let data = try LabelledSequences(
            records: records, sequencesPath: path, labels: labels.map { try ByteStream.contents(of: $0) }, labelsPath: labels)
        if let note = data.note { printError("annotate \(command): note: \(note)") }
        return data
    }
}
