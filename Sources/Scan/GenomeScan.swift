import Background
import GenomeIO
import Model
import Scoring
import Significance
import Tracks

/// A scan of FASTA inputs with one model: picks the scorer for the model and the writer for
/// the output format, and runs them through a `ScanPipeline`.
public struct GenomeScan: Sendable {
    public let network: Network
    public let scoring: ScoringOptions
    public let output: OutputOptions
    let scorer: any WindowScorer

    public init(network: Network, scoring: ScoringOptions = ScoringOptions(), output: OutputOptions = OutputOptions()) {
        self.init(network: network, scoring: scoring, output: output, scorer: makeWindowScorer(for: network))
    }

    private init(network: Network, scoring: ScoringOptions, output: OutputOptions, scorer: any WindowScorer) {
        (self.network, self.scoring, self.output, self.scorer) = (network, scoring, output, scorer)
    }

    var geometry: WindowGeometry { WindowGeometry(length: network.inputLength, step: scoring.step) }

    /// Locates the site in each region's best window, when the model can.
    var sites: SiteLocator? { SiteLocator(network: network, merge: output.merge) }

    /// Whether the fast shared-convolution kernel is used for this model.
    package var usesSharedConvolution: Bool { scorer.logitErrorBound != nil }

    /// Bases per work item when `scoring.chunkBases` is nil: sized to the model's scoring cost.
    package var preferredChunkBases: Int { scorer.preferredChunkBases }

    /// The fast path's proven bound on |fast logit − reference logit| for this model, or nil
    /// when the model runs through the general forward pass.
    package var fastPathLogitErrorBound: Double? { scorer.logitErrorBound }

    /// The background these scans' p-values are measured against, made or read with this
    /// scan's model and settings.
    var backgrounds: BackgroundBuilder {
        BackgroundBuilder(network: network, scorer: scorer, step: scoring.step, strands: scoring.strands,
                          skipSoftMasked: scoring.skipSoftMasked, threads: scoring.threads)
    }

    /// Scans every input in order and writes the output format to `file`. `progress` is
    /// called on the calling thread as the output grows.
    ///
    /// With statistics (BED and narrowPeak), the inputs are read once: the background is made
    /// from the bases as they are read (`BackgroundDuringScan`), and the regions get their
    /// p-values at the end, as a first pass would have given them. A cut on windows'
    /// p-values, a scan of regions and a report need the background before the scan: then
    /// the inputs are read twice, once for the background (`BackgroundPass`), once to scan,
    /// and stdin is copied to a temporary file.
    ///
    /// With statistics and a `statistics` file, that file gets what a merge of several
    /// scans needs to recompute their p- and q-values (`StatisticsSidecar`).
    ///
    /// A `background` file (`annotate background`) stands in for the first pass. A `shard`
    /// scans that shard of the one indexed input (`ScanRegions.shard`), and the BED-family
    /// formats become a shard file for `ShardMerge`; a shard with statistics needs the
    /// `background`.
    ///
    /// A `report` gathers what `scan --report` shows (BED, narrowPeak and bigBed of a whole scan).
    public func run(inputs: [String], output file: OutputFile, statistics: OutputFile? = nil, background backgroundPath: String? = nil,
                    shard: GenomeShard? = nil, report: ScanReportCollector? = nil,
                    progress: ((ScanProgress) -> Void)? = nil) throws(GenomeIOError) -> ScanSummary {
        if let regions = scoring.regions, shard == nil, inputs.count == 1, inputs[0] != "-", IndexedFasta.hasIndex(inputs[0]) {
            // Before a background pass reads the genome: the index names every record.
            try regions.requireRecords(of: IndexedFasta(path: inputs[0]).index, input: inputs[0])
        }
        var run = ScanRun(inputs: inputs.map(InputSource.path), output: file, background: nil, backgroundPath: backgroundPath,
                          digest: nil, progress: progress)
        if output.statistics && output.format.hasRegions {
            if let backgroundPath {
                (run.background, run.digest) = try backgrounds.load(path: backgroundPath, inputs: inputs)
            } else if shard == nil, scoring.regions == nil, output.pValueCut == nil, report == nil {
                // One reading: the background is made from the bases as the scan reads them,
                // and the regions, held to the end for their q-values anyway, get their
                // p-values there.
                run.makesBackground = true
            } else {
                guard shard == nil else {
                    throw .badPart(path: inputs.first ?? "-", line: nil, reason: "a shard's p-values are measured against the whole genome's background: make it once with annotate background (a shard at a time, then annotate merge) and give it with --background FILE, or scan with --no-stats")
                }
                let copy = inputs.contains("-") ? try ScratchFile(purpose: "copy of stdin") : nil
                run.background = try backgrounds.make(inputs: inputs, stdinCopy: copy, progress: progress)
                if let copy { run.inputs = inputs.map { $0 == "-" ? .copy(copy, of: "stdin") : .path($0) } }
            }
        }
        guard let shard else { return try write(run, statistics: statistics, report: report) }
        let index = try IndexedFasta(path: inputs.first ?? "-").index
        var scoring = self.scoring
        scoring.regions = ScanRegions.shard(shard, index: index, blockLength: GenomeBackground.blockLength, windowLength: geometry.length)
        let scan = GenomeScan(network: network, scoring: scoring, output: output, scorer: scorer)
        guard output.format.hasRegions else { return try scan.write(run, statistics: statistics, report: report) }
        // The records whose end lies in this shard, not only in the window − 1 bases it reads past its cut.
        let blocks = shard.blocks(of: index)
        let ending = Set(index.entries.filter { blocks.segments(of: $0.name)?.last?.upperBound == $0.length }.map(\.name))
        let header = ShardOptions.header(settings: backgrounds.settings, output: output, name: output.name ?? network.name,
                                         background: run.digest.flatMap { digest in run.background.map { (digest, $0.decoyWindows) } },
                                         shard: shard, sites: sites != nil)
        let renderer = ThresholdRenderer(threshold: output.probabilityCut, significance: run.significance(output), sites: sites)
        return try scan.run(ShardWriter(output: file, header: header, renderer: renderer, step: scoring.step,
                                        statistics: run.background != nil, ending: ending), run)
    }

    /// Writes the scan in the output format.
    private func write(_ run: ScanRun, statistics: OutputFile?, report: ScanReportCollector?) throws(GenomeIOError) -> ScanSummary {
        let (file, name, significance) = (run.output, output.name ?? network.name, run.significance(output))
        var summary: ScanSummary
        switch output.format {
        case .bed, .bigbed:
            if output.format == .bigbed {
                try BEDFormat.startBigBed(in: file, statistics: run.background != nil || run.makesBackground, sites: sites != nil)
            }
            summary = try regions(BEDFormat.self, run, name: name, significance: significance, statistics: statistics, report: report)
        case .narrowpeak:
            summary = try regions(NarrowPeakFormat.self, run, name: name, significance: significance, statistics: statistics, report: report)
        case .tsv:
            summary = try regions(TSVFormat.self, run, name: name, significance: significance, statistics: statistics, report: report)
        case .gff3:
            summary = try regions(GFF3Format.self, run, name: name, significance: significance, statistics: statistics, report: report)
        case .bedgraph:
            summary = try self.run(BedGraphWriter(output: file, options: output, name: name), run)
        case .bigwig:
            guard file.isPatchable else {
                throw .writeFailed(path: file.name, reason: "bigWig is written in one pass and patched at the end, so it needs a file: give -o FILE.bw")
            }
            summary = try self.run(BigWigTrackWriter(output: file, step: scoring.step), run)
        }
        return summary
    }

    /// Writes the regions in `Format`, with the background made as the scan reads when the run makes it.
    private func regions<Format: RegionFormat>(_ format: Format.Type, _ run: ScanRun, name: String, significance: WindowSignificance?,
                                               statistics: OutputFile?, report: ScanReportCollector?) throws(GenomeIOError) -> ScanSummary {
        let during = run.makesBackground ? BackgroundDuringScan(builder: backgrounds) : nil
        let writer = try RegionWriter<Format>(output: run.output, options: output, name: name, geometry: geometry,
                                              significance: significance, deferredBackground: during.map { $0.finish },
                                              statistics: statistics, sites: sites, report: report)
        var summary = try self.run(writer, run, during: during)
        summary.note(writer.report, background: writer.resolvedBackground)
        return summary
    }

    private func run<Writer: TrackWriter>(_ writer: Writer, _ run: ScanRun, during: BackgroundDuringScan? = nil) throws(GenomeIOError) -> ScanSummary {
        var pipeline = ScanPipeline(scorer: scorer, options: scoring, geometry: geometry, writer: writer, progress: run.progress)
        pipeline.background = run.background.map { ($0.recordNames, run.backgroundPath) }
        pipeline.backgroundDuringScan = during
        return try pipeline.run(inputs: run.inputs, output: run.output)
    }

    /// The probabilities of every `step`-th window of one in-memory sequence, on the strands
    /// the output format shows (NaN where a window is not scored), unrounded. Values below
    /// the threshold may come from the fast kernel (within 1e-5); the others are the values
    /// a scan writes.
    package func windowProbabilities(bases: [UInt8]) -> [(forward: Float, reverse: Float)] {
        var precision = scoring.referenceKernelOnly || output.format == .bedgraph || output.format == .bigwig
            ? ScoringPrecision.exact : ScoringPrecision(threshold: output.probabilityCut)
        precision.approximateBelow = true
        let stretch = bases.withUnsafeBufferPointer { bases in
            ScoredStretch(bases: bases, geometry: geometry, firstWindow: 0, scorer: scorer, strands: scoring.strands,
                          skipSoftMasked: scoring.skipSoftMasked, precision: precision)
        }
        return (0..<stretch.windows).map { (stretch.forward[$0], stretch.reverse[$0]) }
    }
}

/// What one scan reads and writes.
private struct ScanRun {
    /// The inputs, with stdin replaced by its copy once the background pass has read it.
    var inputs: [InputSource]
    let output: OutputFile
    /// With statistics: the genome's background; the file it came from (nil: made by this
    /// scan's first reading of the inputs), and that file's digest.
    var background: GenomeBackground?
    /// With statistics, when the scan makes the background as it reads (`background` is nil).
    var makesBackground = false
    let backgroundPath: String?
    var digest: String?
    let progress: ((ScanProgress) -> Void)?

    /// What gives windows their p-values under `options`' cut, with statistics.
    func significance(_ options: OutputOptions) -> WindowSignificance? {
        background.map { WindowSignificance(background: $0, maximumP: options.pValueCut ?? 1, merged: options.merge) }
    }
}
