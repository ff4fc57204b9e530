import ArgumentParser
import GenomeIO
import Model
import Scan

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score labelled sequences with a model and report AUC, AUPRC and accuracy.",
        usage: "annotate evaluate [<options>] [<file>]"
    )

    enum Split: String, ExpressibleByArgument {
        case test, all
    }

    @OptionGroup var model: ModelOptions
    @OptionGroup var input: LabelledInputOptions

    @Option(help: "Which sequences to score: test (the notebook's 25% test split: train_test_split(test_size=0.25, random_state=42), the sequences train held out) or all.")
    var split: Split = .test

    @Flag(help: "Print the metrics as JSON.")
    var json = false

    @Flag(help: "No note on stderr of which sequences were scored.")
    var quiet = false

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the metrics here instead of stdout.", valueName: "file"))
    var output: String?

    @Option(parsing: .unconditional, help: "Threads that score the sequences (default: the number of cores; the metrics do not depend on it).")
    var threads: Int?

    func validate() throws {
        if let threads, !(1...1024).contains(threads) { throw ValidationError("--threads must be 1 to 1024") }
    }

    func run() throws {
        try reportingErrors("evaluate") {
            refuseOverwritingInputs("evaluate", inputs: [input.sequences, input.labels, model.model], outputs: [("-o", output)])
            let network = try model.load()
            let data = try input.load(command: "evaluate", length: network.inputLength)
            let chosen = split == .test ? data.subset(NotebookSplit(count: data.count).test) : data
            if split == .test, !quiet {
                printError("annotate evaluate: note: scored the notebook's 25% test split, \(chosen.count) of \(data.count) sequences (the ones train held out of this file); --split all scores every one")
            }
            let scores = network.predict(oneHot: Nucleotide.oneHot(chosen.records.map(\.bases)), count: chosen.count,
                                         threads: threads ?? ScoringOptions().threads)
            let evaluation = Evaluation(scores: scores, labels: chosen.labels)
            let text = json ? evaluation.document(split: split.rawValue, legacySizeKey: "size").serialized()
                : "\(split.rawValue): \(evaluation.summary) (n=\(evaluation.count))"
            let out = try OutputFile(path: output)
            try out.write(text + "\n")
            try out.commit()
        }
    }
}
