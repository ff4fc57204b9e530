import Model
import Significance

/// A scan of FASTA inputs with one model: picks the scorer for the model and the writer for
/// the output format, and runs them through a `ScanPipeline`.
public struct GenomeScan: Sendable {
    public let network: Network
    public let scoring: ScoringOptions
    public let output: OutputOptions
    let scorer: any WindowScorer

    public init(network: Network, scoring: ScoringOptions = ScoringOptions(), output: OutputOptions = OutputOptions()) {
        self.network = network
        self.scoring = scoring
        self.output = output
        scorer = makeWindowScorer(for: network)
    }

    var geometry: WindowGeometry { WindowGeometry(length: network.inputLength, step: scoring.step) }

    /// Whether the fast shared-convolution kernel is used for this model.
    package var usesSharedConvolution: Bool { scorer is SeedWindowScorer }

    /// Bases per work item when `scoring.chunkBases` is nil: sized to the model's scoring cost.
    package var preferredChunkBases: Int { scorer.preferredChunkBases }

    /// The fast path's proven bound on |fast logit − reference logit| for this model, or nil
    /// when the model runs through the general forward pass.
    package var fastPathLogitErrorBound: Double? { (scorer as? SeedWindowScorer)?.fast.logitError }

    /// Scans every input in order and writes the output format to `file`. `progress` is
    /// called on the calling thread as the output grows.
    ///
    /// With statistics (BED and narrowPeak), the inputs are read twice: once for the
    /// background (`BackgroundPass`), once to scan; stdin is copied to a temporary file.
    ///
    /// With statistics and a `statistics` file, that file gets what a merge of several
    /// scans needs to recompute their p- and q-values (`StatisticsSidecar`).
    ///
    /// A `background` file (`annotate background`) stands in for the first pass. With
    /// `shard` (and `scoring.regions` set to that shard), the BED-family formats become a
    /// shard file for `ShardMerge`; a shard with statistics needs the `background`.
    ///
    /// A `report` gathers what `scan --report` shows (BED, narrowPeak and bigBed of a whole scan).
    public func run(inputs: [String], output file: OutputFile, statistics: OutputFile? = nil, background backgroundPath: String? = nil,
                    shard: (index: Int, count: Int)? = nil, report: ScanReportCollector? = nil,
                    progress: ((ScanProgress) -> Void)? = nil) throws(ScannerError) -> ScanSummary {
        let name = output.name ?? network.name
        var sources = inputs.map(InputSource.path)
        var background: GenomeBackground?, digest: String?
        let regionFormat = output.format != .bedgraph && output.format != .bigwig
        if output.statistics && regionFormat {
            if let backgroundPath {
                (background, digest) = try loadBackground(path: backgroundPath, inputs: inputs)
            } else {
                guard shard == nil else {
                    throw .badPart(path: inputs.first ?? "-", line: nil, reason: "a shard's p-values are measured against the whole genome's background: make it once with annotate background (a shard at a time, then annotate merge) and give it with --background FILE, or scan with --no-stats")
                }
                let copy = inputs.contains("-") ? try ScratchFile(purpose: "copy of stdin") : nil
                var pass = BackgroundPass(scorer: scorer, options: scoring, geometry: geometry)
                pass.progress = progress
                background = try pass.run(inputs: inputs, stdinCopy: copy)
                if let copy { sources = inputs.map { $0 == "-" ? .copy(copy, of: "stdin") : .path($0) } }
            }
        }
        let significance = background.map { WindowSignificance(background: $0, maximumP: output.pValueCut ?? 1) }
        if let shard, regionFormat {
            let header = ShardOptions.header(settings: backgroundSettings, output: output, name: name,
                                             background: digest.flatMap { digest in background.map { (digest, $0.decoyWindows) } },
                                             shard: shard.index, of: shard.count)
            // The records whose end lies in this shard, not only in the window − 1 bases it reads past its cut.
            let index = try IndexedFasta(path: inputs.first ?? "-").index
            let cut = ScanRegions.shard(shard.index, of: shard.count, index: index, windowLength: 1)
            let ending = Set(index.entries.filter { cut.segments(of: $0.name)?.last?.upperBound == $0.length }.map(\.name))
            let writer = ShardWriter(output: file, header: header,
                                     renderer: ThresholdRenderer(threshold: output.probabilityCut, significance: significance),
                                     step: scoring.step, statistics: background != nil, ending: ending)
            return try run(writer, inputs: sources, expected: background.map { ($0.recordNames, backgroundPath) }, file: file, progress: progress)
        }
        var summary: ScanSummary
        switch output.format {
        case .bed, .bigbed:
            if output.format == .bigbed { try file.startBigBed(statistics: background != nil) }
            let writer = try RegionWriter<BEDFormat>(output: file, options: output, name: name, geometry: geometry,
                                                     significance: significance, statistics: statistics, report: report)
            summary = try run(writer, inputs: sources, expected: background.map { ($0.recordNames, backgroundPath) }, file: file, progress: progress)
            summary.note(writer.report, background: background)
        case .narrowpeak:
            let writer = try RegionWriter<NarrowPeakFormat>(output: file, options: output, name: name, geometry: geometry,
                                                            significance: significance, statistics: statistics, report: report)
            summary = try run(writer, inputs: sources, expected: background.map { ($0.recordNames, backgroundPath) }, file: file, progress: progress)
            summary.note(writer.report, background: background)
        case .bedgraph:
            summary = try run(BedGraphWriter(output: file, options: output, name: name), inputs: sources, expected: nil, file: file,
                              progress: progress)
        case .bigwig:
            guard file.isPatchable else {
                throw .writeFailed(path: file.name, reason: "bigWig is written in one pass and patched at the end, so it needs a file: give -o FILE.bw")
            }
            summary = try run(BigWigTrackWriter(output: file, step: scoring.step, largerStrand: output.largerStrand), inputs: sources, expected: nil, file: file, progress: progress)
        }
        return summary
    }

    private func run<Writer: TrackWriter>(_ writer: Writer, inputs: [InputSource], expected: (records: [String], path: String?)?, file: OutputFile,
                                          progress: ((ScanProgress) -> Void)?) throws(ScannerError) -> ScanSummary {
        var pipeline = ScanPipeline(scorer: scorer, options: scoring, geometry: geometry, writer: writer, progress: progress)
        pipeline.background = expected
        return try pipeline.run(inputs: inputs, output: file)
    }

    /// The probabilities of every `step`-th window of one in-memory sequence, on the strands
    /// the output format shows (NaN where a window is not scored), unrounded. Values below
    /// the threshold may come from the fast kernel (within 1e-5); the others are the values
    /// a scan writes.
    package func windowProbabilities(bases: [UInt8]) -> [(forward: Float, reverse: Float)] {
        var precision = scoring.referenceKernelOnly || output.format == .bedgraph || output.format == .bigwig
            ? ScoringPrecision.exact : ScoringPrecision(threshold: output.probabilityCut)
        precision.approximateBelow = true
        let strands = output.format == .bedgraph || output.format == .bigwig ? SignalRenderer(largerStrand: output.largerStrand).strands(showing: scoring.strands) : scoring.strands
        let stretch = bases.withUnsafeBufferPointer { bases in
            ScoredStretch(bases: bases, geometry: geometry, firstWindow: 0, scorer: scorer, strands: strands,
                          skipSoftMasked: scoring.skipSoftMasked, precision: precision)
        }
        return (0..<stretch.windows).map { (stretch.forward[$0], stretch.reverse[$0]) }
    }
}

extension ScanSummary {
    mutating func note(_ report: SignificanceReport?, background: GenomeBackground?) {
        guard let report, let background else { return }
        decoyWindows = background.decoyWindows
        expectedFalse = report.expectedFalse
    }
}

