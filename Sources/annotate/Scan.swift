import ArgumentParser
import GenomeIO
import Model
import Reports
import Scan
import Scoring
import Tracks

#if canImport(Glibc)
import Glibc
#endif

/// `--strand`: the strands to score, or (bedgraph and bigwig) the larger of the two.
enum StrandArgument: String, ExpressibleByArgument, CaseIterable {
    case both, forward = "+", reverse = "-", max

    var scored: StrandChoice {
        switch self {
        case .both, .max: .both
        case .forward: .forward
        case .reverse: .reverse
        }
    }
}
extension OutputFormat: ExpressibleByArgument {}

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Slide windows along every FASTA record on both strands and write candidate sites as BED.",
        discussion: """
            Input is FASTA, plain or gzip/BGZF (told by its first bytes), from files or \
            stdin (- or no file). Windows are the model's input length (50 bp), 0-based \
            half-open on the forward strand; the - strand is scored on the reverse \
            complement. Windows with N or other non-ACGT letters are not scored.

            Formats:
              bed         BED6+3: chrom start end name score strand probability
                          -log10(p-value) -log10(q-value), with score = round(1000 x
                          probability); overlapping or touching windows on a strand are
                          merged and keep the highest probability and smallest p-value.
                          BED6+1 (no p or q) with --no-stats. Then the site: siteStart
                          siteSequence (below; it ends at siteStart + its length).
              narrowpeak  ENCODE narrowPeak: signalValue = max probability, pValue =
                          -log10 p, qValue = -log10 q (-1 with --no-stats), peak = offset
                          of the site's centre from the region's start.
              tsv         a table for spreadsheets and pandas, with a header row: chrom
                          start end name strand probability p_value q_value site_start
                          site_end site_sequence (p and q as numbers; none with
                          --no-stats).
              gff3        GFF3: a TF_binding_site line per region (1-based, inclusive),
                          score = probability, attributes ID, Name (the model),
                          probability, p_value, q_value, site_start, site_end (1-based)
                          and site_sequence.
              bedgraph    the probability of every scored window, the larger of the two
                          strands' (a site on either strand shows; one strand's with
                          --strand + or -), at window centres with span --step, 4
                          decimals; no statistics.
              bigwig      the bedGraph's values as UCSC bigWig, with zoom levels (needs
                          -o FILE.bw; chromosome sizes come from the input).
              bigbed      the bed regions as UCSC bigBed, their columns named by an
                          embedded autoSql, with coverage zoom levels (needs -o FILE.bb).

            The site: in each region's best window, the bases the model's first \
            convolution sees at the position the model's score needs most (each position \
            left out of the pooling in turn; the one whose loss lowers the logit most). \
            siteStart is 0-based on the forward strand, as the region's start; \
            siteSequence is read on the region's strand (5' to 3'), in capitals; the site \
            ends at siteStart + its length, the convolution's width (12 bp for the built-in \
            model). tsv gives site_end as well.

            Statistics: a window's p-value is the chance that background DNA scores at \
            least as high on a strand. The background is decoy DNA drawn from the input \
            itself: each 64-kbp block of each record gets a decoy from an order-3 Markov \
            chain fitted to that block (its base, dinucleotide and trinucleotide \
            composition), with a tenth as many windows, scored like the genome. Blocks \
            are pooled by G+C (2% bins, 100,000 decoy windows or more a pool, at least \
            1,000,000 or one for every 2 tests), and beyond the decoys' reach the tail is a fitted \
            generalized Pareto, held at exponential or heavier so that it errs large. Every \
            scored window on every scored strand is a test. A region's p-value is its best \
            window's; its q-value is Benjamini-Hochberg over all tests, ranked among the \
            regions (windows with --no-merge) that pass the other cuts, which errs large \
            when a site spans many windows. With --max-q alone, regions are merged from \
            windows with p <= 0.001. The input is read once: the background is made from \
            the bases as the scan reads them, and the regions get their p-values at the \
            end. --max-p, --region, --regions and --report need the background first: \
            then the input is read twice (stdin is kept in $TMPDIR), or once with \
            --background FILE (annotate background).

            Regions (--region, --regions) get the whole genome's p-values, and q-values \
            over the tests made in the regions. Shards (--shard I/N, of an indexed FASTA) \
            of bed, narrowpeak, tsv, gff3 and bigbed write shard files that annotate merge joins into \
            exactly this scan's output of the whole genome; with statistics they need the \
            genome's --background (see annotate merge --help). bedgraph shards are joined by cat.
            """
    )

    @OptionGroup var model: ModelOptions

    @Argument(help: ArgumentHelp("FASTA files (.gz or plain); - or none for stdin.", valueName: "fasta"))
    var inputs: [String] = []

    @Option(parsing: .unconditional, help: "Distance between window starts, in bases.")
    var step = 1

    @Option(help: "Strands to score: both, + or -; bedgraph and bigwig show the larger of the two strands' values with both (max is the same).")
    var strand: StrandArgument = .both

    @Option(parsing: .unconditional, help: "Keep windows with probability at least this (default: 0.5, or none with --max-p or --max-q).")
    var threshold: Float?

    @Option(name: .customLong("max-p"), parsing: .unconditional,
            help: "Keep windows with p-value at most this (default: none, or 0.001 with --max-q alone).")
    var maxP: Double?

    @Option(name: .customLong("max-q"), parsing: .unconditional, help: "Keep regions (windows with --no-merge) with q-value at most this.")
    var maxQ: Double?

    @Flag(help: "No p- or q-values: no decoys to score (BED6+1, narrowPeak pValue and qValue -1).")
    var noStats = false

    @Option(name: .customLong("stats"), help: ArgumentHelp(
        "Also write what a merge of several scans needs to recompute p- and q-values (tests, decoy tallies, each line's exact p and q).",
        valueName: "file"))
    var statsFile: String?

    @Option(name: .customLong("region"), help: ArgumentHelp(
        "Scan only the windows inside this region: chr, chr:beg or chr:beg-end, 1-based and inclusive, as samtools writes them (repeatable).",
        valueName: "region"))
    var regionTexts: [String] = []

    @Option(name: .customLong("regions"), help: ArgumentHelp(
        "Scan only the windows inside the intervals of this BED file (0-based, half-open).", valueName: "bed"))
    var regionsFile: String?

    @Option(help: ArgumentHelp(
        "Scan shard I of N (1 <= I <= N) of an indexed FASTA: the genome cut into N pieces of about equal length, each window scored in one shard.",
        valueName: "I/N"))
    var shard: GenomeShard?

    @Option(name: .customLong("background"), help: ArgumentHelp(
        "Measure p-values against this background of the genome (annotate background) instead of making it in a first reading.",
        valueName: "file"))
    var backgroundFile: String?

    @Flag(help: "Write every passing window instead of merging them into regions.")
    var noMerge = false

    @Option(help: "Output format.")
    var format: OutputFormat = .bed

    @Flag(help: "Leave out windows that touch lowercase (soft-masked) bases.")
    var skipSoftMasked = false

    @Option(parsing: .unconditional, help: "Worker threads (default: the number of cores).")
    var threads: Int?

    @Option(parsing: .unconditional, help: "Bases per work item (default: sized to the model's cost; 262144 for the seed shape).")
    var chunkSize: Int?

    @Option(help: "The BED name column (default: the model's name).")
    var name: String?

    @Flag(help: "Start the output with a UCSC track line.")
    var trackLine = false

    @Option(name: .shortAndLong, help: ArgumentHelp("Write here instead of stdout; the file appears only when the scan succeeds.", valueName: "file"))
    var output: String?

    @Flag(help: "Write BGZF (as bgzip does), with a tabix index beside a file (FILE.tbi, or FILE.csi past 2^29 bp); the default for -o FILE.gz.")
    var bgzip = false

    @Option(help: ArgumentHelp(
        "Also write a report: one self-contained HTML page with the windows' scores against the background's, regions per q-value, calls per Mbp along the largest records, and the 20 best regions with their deletion saliency.",
        valueName: "file.html"))
    var report: String?

    @Flag(help: "No progress line and no summary on stderr.")
    var quiet = false

    func validate() throws {
        if step < 1 { throw ValidationError("--step must be at least 1") }
        if report != nil, format == .bedgraph || format == .bigwig || shard != nil {
            throw ValidationError("--report is of a whole scan's regions: it applies to bed, narrowpeak, tsv, gff3 and bigbed output without --shard")
        }
        if let report, report == output || report == statsFile || report == "-" { throw ValidationError("--report needs a file of its own") }
        if let threshold, !(threshold >= 0 && threshold <= 1) { throw ValidationError("--threshold must be between 0 and 1") }
        if let maxP, !(maxP > 0 && maxP <= 1) { throw ValidationError("--max-p must be above 0 and at most 1") }
        if let maxQ, !(maxQ > 0 && maxQ <= 1) { throw ValidationError("--max-q must be above 0 and at most 1") }
        if noStats, maxP != nil || maxQ != nil { throw ValidationError("--max-p and --max-q need statistics; leave out --no-stats") }
        if format == .bedgraph || format == .bigwig, maxP != nil || maxQ != nil || statsFile != nil {
            throw ValidationError("--max-p, --max-q and --stats apply to bed, narrowpeak, tsv, gff3 and bigbed output; \(format.rawValue) has no statistics")
        }
        if shard != nil, !noStats, format != .bedgraph && format != .bigwig, backgroundFile == nil {
            throw ValidationError("--shard with statistics needs --background FILE: a shard's p-values are measured against the whole genome's background (annotate background makes it; see annotate merge --help), or scan with --no-stats")
        }
        if backgroundFile != nil, noStats || format == .bedgraph || format == .bigwig {
            throw ValidationError("--background gives p-values: it applies to bed, narrowpeak, tsv, gff3 and bigbed output with statistics")
        }
        if trackLine, format == .tsv || format == .gff3 || format == .bigwig || format == .bigbed {
            throw ValidationError("--track-line is for the browsers' text formats (bed, narrowpeak, bedgraph); \(format.rawValue) has \(format == .tsv ? "a header row" : "its own header") instead")
        }
        if shard != nil, format != .bedgraph, bgzip || output?.hasSuffix(".gz") == true {
            throw ValidationError("a shard of \(format.rawValue) output is a shard file for annotate merge: give .gz or --bgzip to the merge")
        }
        if shard != nil, statsFile != nil { throw ValidationError("--stats is written by annotate merge's whole result, not by a shard") }
        if shard != nil, format == .bigwig { throw ValidationError("bigWig is not made in shards: scan shards as bedgraph, join them with cat, or scan the whole genome") }
        if shard != nil {
            if !regionTexts.isEmpty || regionsFile != nil { throw ValidationError("--shard cuts the whole genome; leave out --region and --regions") }
            if inputs.count != 1 || inputs[0] == "-" { throw ValidationError("--shard needs one indexed FASTA file (annotate index FILE), not stdin") }
        }
        if strand == .max, format != .bedgraph && format != .bigwig {
            throw ValidationError("--strand max shows the larger strand's value per position: it applies to bedgraph and bigwig (where both, the default, does the same); \(format.rawValue) keeps each strand's own lines")
        }
        if format == .bigwig || format == .bigbed, output == nil || output == "-" {
            throw ValidationError("--format \(format.rawValue) needs -o FILE.\(format == .bigwig ? "bw" : "bb"): the file is written in one pass and patched at the end")
        }
        if format == .bigwig || format == .bigbed, bgzip || output?.hasSuffix(".gz") == true {
            throw ValidationError("\(format == .bigwig ? "bigWig" : "bigBed") is compressed already; leave out --bgzip and .gz")
        }
        if noStats, statsFile != nil { throw ValidationError("--stats needs statistics; leave out --no-stats") }
        if let statsFile, statsFile == output || statsFile == "-" { throw ValidationError("--stats needs a file of its own") }
        if let threads, !(1...1024).contains(threads) { throw ValidationError("--threads must be 1 to 1024") }
        if let chunkSize, !(1...ScoringOptions.maximumChunkBases).contains(chunkSize) {
            throw ValidationError("--chunk-size must be 1 to \(ScoringOptions.maximumChunkBases) bases")
        }
        if let name, name.isEmpty || name.contains(where: { $0 == "\t" || $0 == "\n" || $0 == " " }) {
            throw ValidationError("--name must be one word without spaces or tabs")
        }
    }

    func run() throws {
        try reportingErrors("scan") {
            if inputs.isEmpty || inputs == ["-"], isatty(0) != 0 {
                // Nothing piped in: waiting for a genome typed at the terminal would look like a hang.
                fail("scan", "no input: give a FASTA file (annotate scan genome.fa.gz) or pipe one in (zcat genome.fa.gz | annotate scan -)")
            }
            refuseOverwritingInputs("scan", inputs: inputs + [model.model, regionsFile, backgroundFile],
                                    outputs: [("-o", output), ("--stats", statsFile), ("--report", report)])
            let network = try model.load()
            if step > network.inputLength, !quiet {
                printError("annotate scan: note: --step \(step) is longer than the model's \(network.inputLength)-bp window, so \(step - network.inputLength) bases between windows are never scored")
            }
            var scoring = ScoringOptions()
            scoring.step = step
            scoring.strands = strand.scored
            scoring.skipSoftMasked = skipSoftMasked
            if let threads { scoring.threads = threads }
            if let chunkSize { scoring.chunkBases = chunkSize }
            if shard != nil, let source = inputs.first { try requireIndex(source, for: "--shard") }
            if !regionTexts.isEmpty || regionsFile != nil {
                let source = inputs.first ?? "-"
                let regions = try regionTexts.map { text throws(GenomeIOError) in try GenomeRegion(parsing: text, path: source) }
                let bed = try regionsFile.map { path throws(GenomeIOError) in try ScanRegions.bedIntervals(path: path) } ?? []
                var requested = ScanRegions(regions: regions, bed: bed.map { ($0.name, $0.begin, $0.end) })
                for (region, text) in zip(regions, regionTexts) where requested.origins[region.name] == nil {
                    requested.origins[region.name] = "--region \(text)"
                }
                if let regionsFile {
                    for entry in bed where requested.origins[entry.name] == nil { requested.origins[entry.name] = "\(regionsFile) line \(entry.line)" }
                }
                scoring.regions = requested
                if !quiet, inputs.count != 1 || source == "-" || !IndexedFasta.hasIndex(source) {
                    printError("annotate scan: note: " + (inputs.count == 1 && source != "-"
                        ? "\(source) has no faidx index, so it is read whole to find the regions; annotate index \(source) makes one"
                        : "regions are found by reading the inputs whole; one indexed file (annotate index FILE) is read only where they are"))
                }
            }
            var writing = OutputOptions()
            writing.format = format
            writing.threshold = threshold
            writing.statistics = !noStats
            writing.maximumP = maxP
            writing.maximumQ = maxQ
            writing.merge = !noMerge
            writing.name = name
            // A shard's bedGraph lines are joined by cat: the track line goes in the first only.
            writing.trackLine = trackLine && (format != .bedgraph || (shard?.index ?? 1) == 1)
            let out = try OutputFile(path: output, bgzip: bgzip || output?.hasSuffix(".gz") == true,
                                     layout: format == .gff3 ? .gff : format == .tsv ? .table : .bed)
            let statistics = try statsFile.map { try OutputFile(path: $0) }
            let reportFile = try report.map { try OutputFile(path: $0) }
            let collector = report.map { _ in ScanReportCollector() }
            let progress = !quiet && isatty(2) != 0 ? ProgressLine() : nil
            let summary = try GenomeScan(network: network, scoring: scoring, output: writing)
                .run(inputs: inputs.isEmpty ? ["-"] : inputs, output: out, statistics: statistics, background: backgroundFile,
                     shard: shard, report: collector, progress: progress.map { line in { line.update($0) } })
            progress?.finish()
            if out.isClosedByReader { return }
            if summary.windowsScored == 0, scoring.regions == nil, shard == nil {
                let input = inputs.count == 1 ? (inputs[0] == "-" ? "stdin" : inputs[0]) : inputs.joined(separator: ", ")
                let window = network.inputLength
                throw GenomeIOError.nothingToScan(path: input, reason: summary.longestRecord < window
                    ? "no record is as long as the model's \(window)-bp window (the longest has \(summary.longestRecord) bases): nothing was scored"
                    : "every \(window)-bp window holds N\(skipSoftMasked ? " or soft-masked (lowercase) bases, which --skip-soft-masked leaves out" : ""): nothing was scored")
            }
            try out.commit()
            try statistics?.commit()
            if let reportFile, let data = collector?.data {
                try reportFile.write(ScanReport(data: data, summary: summary, network: network, facts: reportFacts(network, writing),
                                                probabilityCut: writing.probabilityCut, maximumQ: maxQ).page())
                try reportFile.commit()
            }
            if !quiet { printError("annotate scan: \(summary.description)") }
        }
    }
}

extension Scan {
    /// The report's first lines: what was scanned, with what, and how.
    func reportFacts(_ network: Network, _ writing: OutputOptions) -> [(String, String)] {
        let strands = strand == .both ? "both strands" : "the \(strand.rawValue) strand"
        let cut = writing.probabilityCut
        var cuts = [cut > 0 ? "probability ≥ \(cut)" : nil, writing.pValueCut.map { "p ≤ \($0)" }, maxQ.map { "q ≤ \($0)" }].compactMap { $0 }
        if cuts.isEmpty { cuts = ["none"] }
        return [
            ("input", inputs.isEmpty ? "stdin" : inputs.joined(separator: ", ")),
            ("model", "\(network.name) (SHA-256 \(network.fingerprint.prefix(16))…)"),
            ("output", "\(output ?? "stdout") (\(format.rawValue)\(noMerge ? ", every window" : ", windows merged into regions"))"),
            ("windows", "\(network.inputLength) bp every \(step) bp on \(strands)\(skipSoftMasked ? ", soft-masked bases left out" : "")"
                + (regionTexts.isEmpty && regionsFile == nil ? "" : ", inside the requested regions")),
            ("cuts", cuts.joined(separator: ", ") + (backgroundFile.map { "; background from \($0)" } ?? "")),
        ]
    }
}

/// `--shard I/N`, 1 ≤ I ≤ N ≤ 100,000.
extension GenomeShard: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
