import ArgumentParser
import GenomeIO
import Model
import Scan

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print id<TAB>probability for each sequence, in input order.",
        usage: "annotate predict [<options>] [<file>]",
        discussion: "Input is one sequence per line (id = line number) or FASTA (id = name), plain or gzipped."
    )

    @OptionGroup var model: ModelOptions
    @OptionGroup var input: SequenceInputOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("Write here instead of stdout; the file appears only when every sequence is scored.", valueName: "file"))
    var output: String?

    @Option(parsing: .unconditional, help: "Threads that score the sequences (default: the number of cores; the values do not depend on it).")
    var threads: Int?

    func validate() throws {
        if let threads, !(1...1024).contains(threads) { throw ValidationError("--threads must be 1 to 1024") }
    }

    func run() throws {
        try reportingErrors("predict") {
            refuseOverwritingInputs("predict", inputs: [input.path, model.model], outputs: [("-o", output)])
            let network = try model.load()
            let records = try input.records(command: "predict", length: network.inputLength)
            let scores = network.predict(oneHot: Nucleotide.oneHot(records.map(\.bases)), count: records.count,
                                         threads: threads ?? ScoringOptions().threads)
            let out = try OutputFile(path: output)
            for (record, score) in zip(records, scores) {
                try out.write("\(record.id)\t\(fixed(Double(score), 7))\n")
                if out.isClosedByReader { break }
            }
            try out.commit()
        }
    }
}
