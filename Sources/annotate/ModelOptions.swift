import ArgumentParser
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

/// Labelled sequence input that `train` and `evaluate` share.
struct LabelledInputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Sequences: one per line, FASTA, or sequence<TAB>label lines (gzip is fine).", valueName: "file"))
    var sequences: String

    @Option(help: ArgumentHelp("Labels, one 0/1 per line (not needed for sequence<TAB>label input).", valueName: "file"))
    var labels: String?

    func load(length: Int? = nil) throws -> LabelledSequences {
        try labelled(records(length: length))
    }

    /// The records, with their labels where there are any: a labels file, or a label on
    /// every line (`motifs` also works without).
    func loadLabelsIfAny(length: Int) throws -> (records: [SequenceRecord], labels: [Bool]?) {
        let records = try records(length: length)
        guard labels != nil || records.allSatisfy({ $0.label != nil }) else { return (records, nil) }
        return (records, try labelled(records).labels)
    }

    private func records(length: Int?) throws -> [SequenceRecord] {
        try SequenceText.parse(ByteStream.contents(of: sequences), path: sequences, length: length)
    }

    private func labelled(_ records: [SequenceRecord]) throws -> LabelledSequences {
        let data = try LabelledSequences(
            records: records, sequencesPath: sequences, labels: labels.map { try ByteStream.contents(of: $0) }, labelsPath: labels)
        if let note = data.note { printError("note: \(note)") }
        return data
    }
}
