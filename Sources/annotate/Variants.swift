import ArgumentParser
import GenomeIO
import Variants

extension VariantFormat: ExpressibleByArgument {}

struct Variants: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score each VCF variant's effect on sites: the best window with REF against the best with ALT.",
        usage: "annotate variants [<options>] --fasta <fasta> --vcf <vcf>",
        discussion: """
            For every record and every ALT allele, the windows that overlap the REF allele \
            are scored on both strands, and so are the windows that overlap the ALT allele \
            on the ALT haplotype (the REF allele replaced by the ALT, with window - 1 bases of \
            the reference on each side): SNVs, MNVs, insertions and deletions alike. The best \
            of each (highest probability; the first on ties, + before -) is reported with its \
            probability, logit, -log10 p-value against the genome's background (made from \
            the FASTA first, or --background FILE), strand and 1-based start, and the \
            differences ALT - REF.

            Output: the VCF with INFO fields added (declared in the header, one value per \
            ALT, Number=A): TFBS_REF_P, TFBS_ALT_P, TFBS_REF_LOGIT, TFBS_ALT_LOGIT, \
            TFBS_REF_MLOG10P, TFBS_ALT_MLOG10P, TFBS_DP, TFBS_DLOGIT, TFBS_REF_STRAND, \
            TFBS_ALT_STRAND, TFBS_REF_POS, TFBS_ALT_POS; every other column and header line \
            is kept. --format tsv writes one row per allele instead.

            Symbolic alleles (<DEL>, breakends) and * get . and are counted; so do records \
            on chromosomes the FASTA lacks, or outside their chromosome. A REF that differs \
            from the FASTA is warned about with its position, flagged TFBS_REF_MISMATCH \
            (its REF windows read the FASTA), and counted; --strict makes it an error. \
            Records may come in any order. The FASTA needs a faidx index (annotate index).

            Reading the scores: a variant that breaks a site's core or completes one moves \
            the best window's probability by more than 0.5 (and its logit by 8 or more); one \
            at least 1 kbp from any site stays below 0.001 in |TFBS_DP|, because both of its \
            windows are background, far below 0.001 (checked on planted variants by the \
            tests). Rank by TFBS_DP or by the alleles' -log10 p-values: deep in the \
            background, where probabilities are below 1e-10, a logit can move by 10 for \
            nothing.
            """
    )

    @OptionGroup var model: ModelOptions

    @Option(help: ArgumentHelp("The genome, plain or BGZF, with a faidx index beside it.", valueName: "fasta"))
    var fasta: String

    @Option(help: ArgumentHelp("The variants: VCF, plain or gzip/BGZF, or - for stdin.", valueName: "vcf"))
    var vcf: String

    @Option(help: "Output format.")
    var format: VariantFormat = .vcf

    @Flag(help: "Stop at a REF that differs from the FASTA instead of warning.")
    var strict = false

    @Option(name: .customLong("background"), help: ArgumentHelp("The genome's background (annotate background) for the p-values, instead of making it from the FASTA.", valueName: "file"))
    var backgroundFile: String?

    @Option(parsing: .unconditional, help: "Worker threads (default: the number of cores).")
    var threads: Int?

    @Option(name: .shortAndLong, help: ArgumentHelp("Write here instead of stdout; the file appears only when the run succeeds.", valueName: "file"))
    var output: String?

    @Flag(help: "Write BGZF with a tabix index beside a file (FILE.tbi, or .csi past 2^29 bp); the default for -o FILE.gz.")
    var bgzip = false

    @Flag(help: "No warnings and no summary on stderr.")
    var quiet = false

    func validate() throws {
        if let threads, !(1...1024).contains(threads) { throw ValidationError("--threads must be 1 to 1024") }
    }

    func run() throws {
        try reportingErrors("variants") {
            refuseOverwritingInputs("variants", inputs: [fasta, vcf, model.model, backgroundFile], outputs: [("-o", output)])
            var options = VariantOptions()
            options.format = format
            options.strict = strict
            options.background = backgroundFile
            if let threads { options.threads = threads }
            let quiet = quiet
            let annotation = try VariantAnnotation(network: model.load(), fasta: fasta, options: options) { message in
                if !quiet { printError("annotate variants: warning: " + message) }
            }
            let out = try OutputFile(path: output, bgzip: bgzip || output?.hasSuffix(".gz") == true, layout: .vcf)
            let summary = try annotation.run(vcf: vcf, output: out)
            if out.isClosedByReader { return }
            try out.commit()
            if !quiet { printError("annotate variants: \(summary.description)") }
        }
    }
}
