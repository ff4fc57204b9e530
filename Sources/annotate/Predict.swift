import ArgumentParser
import GenomeIO
import Model

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print id<TAB>probability for each sequence, in input order.",
        discussion: "Input is one sequence per line (id = line number) or FASTA (id = name), plain or gzipped."
    )

    @OptionGroup var model: ModelOptions

    @Argument(help: ArgumentHelp("Sequences of the model's input length; - for stdin.", valueName: "file"))
    var input: String = "-"

    func run() throws {
        try reportingErrors("predict") {
            let network = try model.load()
            let name = input == "-" ? "stdin" : input
            let records = try SequenceText.parse(ByteStream.contents(of: input), path: name, length: network.inputLength)
            let scores = network.predict(oneHot: Nucleotide.oneHot(records.map(\.bases)), count: records.count)
            let out = try OutputFile(path: nil)
            for (record, score) in zip(records, scores) {
                try out.write("\(record.id)\t\(fixed(Double(score), 7))\n")
                if out.isClosedByReader { break }
            }
            try out.commit()
        }
    }
}
