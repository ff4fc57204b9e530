import ArgumentParser
import Foundation
import Interpretation
import Model
import Scanner

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show why each sequence scored what it did: deletion saliency, in-silico mutagenesis and gradient × input.",
        discussion: """
            Input is sequences of the model's input length, one per line or FASTA, plain or \
            gzipped. The TSV has one row per position: id, position (1-based), base, \
            deletion = p(x) - p(x with the position's one-hot row zeroed), ism_A ... ism_T = \
            p(x with that base) - p(x), grad_x_input = dp/dx at the sequence's base.
            """
    )

    @OptionGroup var model: ModelOptions

    @Argument(help: ArgumentHelp("Sequences; - for stdin.", valueName: "file"))
    var input: String = "-"

    @Option(help: ArgumentHelp("Write the TSV here instead of stdout.", valueName: "file"))
    var tsv: String?

    @Option(help: ArgumentHelp("Also write one SVG per sequence (saliency letters over an ISM heatmap) into this directory.", valueName: "dir"))
    var svg: String?

    func run() throws {
        try reportingErrors("explain") {
            let network = try model.load()
            let name = input == "-" ? "stdin" : input
            let records = try SequenceText.parse(ByteStream.contents(of: input), path: name, length: network.inputLength)
            let attributions = network.attributions(for: records.map(\.bases))
            let out = try OutputFile(path: tsv)
            try out.write(InterpretationWriters.attributionHeader)
            for (record, attribution) in zip(records, attributions) {
                try out.write(InterpretationWriters.attributionRows(id: record.id, bases: record.bases, attribution: attribution))
                if out.isClosedByReader { return }
            }
            try out.commit()
            if let svg {
                try writeFiles(into: svg, records.indices.map { i in
                    (fileName(records[i].id, index: i) + ".svg",
                     InterpretationWriters.saliencySVG(id: records[i].id, bases: records[i].bases, attribution: attributions[i]))
                })
            }
        }
    }
}
