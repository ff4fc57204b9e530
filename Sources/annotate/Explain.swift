import ArgumentParser
import Foundation
import GenomeIO
import Interpretation
import Model
import Variants

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show why each sequence scored what it did: deletion saliency, in-silico mutagenesis and gradient × input.",
        usage: "annotate explain [<options>] [<file>]\nannotate explain [<options>] --fasta <fasta> --variant <variant> ...",
        discussion: """
            Input is sequences of the model's input length, one per line or FASTA, plain or \
            gzipped. The TSV has one row per position: id, position (1-based), base, \
            deletion = p(x) - p(x with the position's one-hot row zeroed), ism_A ... ism_T = \
            p(x with that base) - p(x), grad_x_input = dp/dx at the sequence's base.

            With --variant CHROM:POS:REF:ALT (1-based, repeatable) and --fasta, each variant's \
            window is explained instead: the best window of the REF or the ALT haplotype \
            (whichever scores higher, as annotate variants finds them), read on both and \
            oriented as the model read it; the TSV has its REF and ALT rows, and the SVG \
            draws the REF saliency above the ALT's.
            """
    )

    @OptionGroup var model: ModelOptions

    @OptionGroup var input: SequenceInputOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the TSV here instead of stdout.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("The same as -o (the older spelling).", visibility: .hidden))
    var tsv: String?

    @Option(help: ArgumentHelp("Also write one SVG per sequence (saliency letters over an ISM heatmap) into this directory.", valueName: "dir"))
    var svg: String?

    @Option(help: ArgumentHelp("Explain this variant's window instead of sequences (with --fasta; repeatable).", valueName: "chrom:pos:ref:alt"))
    var variant: [String] = []

    @Option(help: ArgumentHelp("The genome the variants are on, with a faidx index.", valueName: "fasta"))
    var fasta: String?

    /// -o, or the older --tsv.
    var destination: String? { output ?? tsv }

    func validate() throws {
        if output != nil, tsv != nil, output != tsv { throw ValidationError("-o and --tsv are the same option: give one") }
        if !variant.isEmpty, fasta == nil { throw ValidationError("--variant needs --fasta, the genome it is on") }
        if variant.isEmpty, fasta != nil { throw ValidationError("--fasta goes with --variant") }
    }

    func run() throws {
        try reportingErrors("explain") {
            refuseOverwritingInputs("explain", inputs: [input.path, fasta, model.model], outputs: [(output != nil ? "-o" : "--tsv", destination)])
            if tsv != nil { printError("annotate explain: note: --tsv FILE is now -o FILE; both work") }
            let network = try model.load()
            if let fasta { return try explainVariants(network: network, fasta: fasta) }
            let records = try input.records(command: "explain", length: network.inputLength)
            let attributions = network.attributions(for: records.map(\.bases))
            let out = try OutputFile(path: destination)
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

extension Explain {
    /// `--variant`: each variant's window on both haplotypes, as TSV rows and one SVG.
    func explainVariants(network: Network, fasta: String) throws {
        let annotation = try VariantAnnotation(network: network, fasta: fasta, options: VariantOptions()) { _ in }
        let out = try OutputFile(path: destination)
        try out.write(InterpretationWriters.attributionHeader)
        var figures: [(String, String)] = []
        for (index, text) in variant.enumerated() {
            let window = try annotation.window(of: text)
            let attributions = network.attributions(for: [window.reference, window.alternate])
            let place = "\(window.start)\(window.reverse ? "-" : "+")"
            let ids = ("\(text) REF window \(place)", "\(text) ALT window \(place)")
            try out.write(InterpretationWriters.attributionRows(id: ids.0, bases: window.reference, attribution: attributions[0]))
            try out.write(InterpretationWriters.attributionRows(id: ids.1, bases: window.alternate, attribution: attributions[1]))
            let best = [window.best.reference, window.best.alternate].map { $0.map { String(format: "%.4f", $0.probability) } ?? "-" }
            let title = "\(text): best REF window p = \(best[0]), best ALT window p = \(best[1])" + (window.referenceMismatch ? " (REF differs from the FASTA)" : "")
            figures.append((fileName(text, index: index) + ".svg",
                            InterpretationWriters.variantSVG(title: title, reference: (ids.0, window.reference, attributions[0]),
                                                             alternate: (ids.1, window.alternate, attributions[1]))))
            if out.isClosedByReader { return }
        }
        try out.commit()
        if let svg { try writeFiles(into: svg, figures) }
    }
}
