import ArgumentParser
import Foundation
import GenomeIO
import Interpretation
import Model

struct Motifs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read out the motifs the first-layer filters learned, ranked by importance, as MEME motifs.",
        usage: "annotate motifs [<options>] [<file>]",
        discussion: """
            For each filter, every kernel-length subsequence whose activation reaches half the \
            filter's maximum over the sequences is a site (the DeepBind/Basset method); the \
            sites make a position frequency matrix. Filters are ranked by the AUC lost when \
            the filter is zeroed (with labels) or by the mean |change in p| (without); the \
            table on stdout gives both. -o writes the MEME minimal motif format (version 4), \
            which FIMO and Tomtom read, in rank order.
            """
    )

    @OptionGroup var model: ModelOptions

    /// Labels, if given, rank the filters by AUC.
    @OptionGroup var input: LabelledInputOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the motifs in MEME format here (- for stdout, the table then going to stderr).", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Also write an information-content logo per filter into this directory.", valueName: "dir"))
    var svg: String?

    func run() throws {
        try reportingErrors("motifs") {
            refuseOverwritingInputs("motifs", inputs: [model.model, input.sequences, input.labels], outputs: [("-o", output)])
            let network = try model.load()
            let (records, labelled) = try input.loadLabelsIfAny(command: "motifs", length: network.inputLength)
            let bases = records.map(\.bases)
            guard let motifs = network.filterMotifs(sequences: bases, labels: labelled) else {
                fail("motifs", "the model's first layer is not a convolution")
            }
            let background = Nucleotide.frequencies(bases)
            if let output {
                let file = try OutputFile(path: output)
                try file.write(InterpretationWriters.meme(motifs: motifs, background: background))
                try file.commit()
            }
            if let svg {
                try writeFiles(into: svg, motifs.filter { $0.sites > 0 }.map {
                    ("rank\(String(format: "%02d", $0.rank))_filter\($0.filter).svg", InterpretationWriters.logoSVG(motif: $0, background: background))
                })
            }
            let table = InterpretationWriters.motifTable(motifs, background: background, withImportance: labelled != nil)
            // With the MEME file on stdout (-o -), the table goes to stderr: stdout holds the motifs alone.
            if output == "-" {
                printError(String(table.dropLast(table.hasSuffix("\n") ? 1 : 0)))
            } else {
                let out = try OutputFile(path: nil)
                try out.write(table)
                try out.commit()
            }
        }
    }
}
