import ArgumentParser
import Model

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score labelled sequences with a model and report AUC, AUPRC and accuracy."
    )

    enum Split: String, ExpressibleByArgument {
        case test, all
    }

    @OptionGroup var model: ModelOptions
    @OptionGroup var input: LabelledInputOptions

    @Option(help: "Which sequences to score: test (the notebook's 25% test split) or all.")
    var split: Split = .test

    @Flag(help: "Print the metrics as JSON.")
    var json = false

    func run() throws {
        try reportingErrors("evaluate") {
            let network = try model.load()
            let data = try input.load(length: network.inputLength)
            let chosen = split == .test ? data.subset(NotebookSplit(count: data.count).test) : data
            let scores = network.predict(oneHot: Nucleotide.oneHot(chosen.records.map(\.bases)), count: chosen.count)
            let evaluation = Evaluation(scores: scores, labels: chosen.labels)
            if json {
                try printResult(evaluation.document(sizeKey: "size", extra: [("split", .string(split.rawValue))]).serialized())
            } else {
                try printResult("\(split.rawValue): \(evaluation.summary) (n=\(evaluation.count))")
            }
        }
    }
}
