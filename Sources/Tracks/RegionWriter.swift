import Background
import GenomeIO
import Scoring

/// Writes the windows that pass the threshold as BED-family lines, merged into regions.
///
/// Both strands' regions are merged into one stream ordered by (start, end, strand), so
/// `bedtools sort` leaves the output unchanged. A region is written once no region that
/// sorts before it can still appear: its start is below every open region's start and
/// below the next window to come.
package final class RegionWriter<Format: RegionFormat>: TrackWriter {
    let output: OutputFile
    let name: String
    let merge: Bool
    let trackLine: Bool
    let windowLength: Int
    let step: Int
    /// Whether the lines show each region's site (the model locates sites).
    let sites: Bool
    /// Whether the lines have p- and q-values.
    let statistical: Bool
    package let renderer: ThresholdRenderer
    package private(set) var linesWritten = 0
    /// With statistics: the regions held for their q-values, the cut on those, and how it went.
    private let held: HeldRegions?
    private let maximumQ: Double?
    package private(set) var report: SignificanceReport?
    /// Where the statistics go, when asked for (`StatisticsSidecar`).
    private var sidecar: StatisticsSidecar?
    private var background: GenomeBackground?
    /// With statistics and a background made as the scan reads: gives it once the input is
    /// read; until then windows pass on probability alone, and regions keep their best
    /// window per block (`Region.blocks`).
    private let deferredBackground: (() -> GenomeBackground)?
    /// The middle blocks of regions that span more than two.
    private var middleBlocks: [[BlockBest]] = []
    /// What a report needs, when one is asked for.
    private let scanReport: ScanReportCollector?

    private var chromosome = ""
    private var recordIndex = 0, backgroundIndex = -1
    private var recordNames: [String] = []
    private var open: [Region?] = [nil, nil]
    private var closed: [[Region]] = [[], []]
    private var closedHead = [0, 0]
    private var line = LineBuffer()

    /// With `holding` (by default, when there is `significance` or `deferredBackground`),
    /// regions are held for their q-values until `finish`. `deferredBackground` (with
    /// statistics, no p-value cut and no report) gives the background at `finish`, when a
    /// scan makes it as it reads: each region then gets the p-value `significance` would
    /// have given it. `sites` locates the site in each region's best window; `showsSites`
    /// (by default, when there is `sites`) says the windows come with their sites (a merge of
    /// shards passes them on).
    package init(output: OutputFile, options: OutputOptions, name: String, geometry: WindowGeometry,
         significance: WindowSignificance? = nil, deferredBackground: (() -> GenomeBackground)? = nil,
         statistics: OutputFile? = nil, holding: Bool? = nil, sites: SiteLocator? = nil, showsSites: Bool? = nil,
         report: ScanReportCollector? = nil) throws(GenomeIOError) {
        self.output = output
        self.name = name
        merge = options.merge
        trackLine = options.trackLine
        windowLength = geometry.length
        step = geometry.step
        renderer = ThresholdRenderer(threshold: options.probabilityCut, significance: significance,
                                     report: report.map { _ in ReportCapture(merge: options.merge) }, sites: sites)
        self.sites = showsSites ?? (sites != nil)
        scanReport = report
        report?.background = significance?.background
        report?.windowLength = geometry.length
        let statistical = significance != nil || deferredBackground != nil
        self.statistical = holding ?? statistical
        held = holding ?? statistical ? try HeldRegions() : nil
        maximumQ = options.maximumQ
        background = significance?.background
        self.deferredBackground = significance == nil ? deferredBackground : nil
        if let statistics, statistical { sidecar = try StatisticsSidecar(file: statistics) }
    }

    package func begin() throws(GenomeIOError) {
        if trackLine { try output.write(Format.trackLine(name: name)) }
        if let header = Format.header(statistics: statistical, sites: sites) { try output.write(header) }
    }

    package func write(_ passing: PassingWindows, of piece: RenderedPiece) throws(GenomeIOError) {
        scanReport?.piece(piece, passing: passing)
        if piece.isFirst {
            chromosome = piece.record
            recordIndex = piece.recordIndex
            backgroundIndex = piece.backgroundIndex
            if held != nil {
                while recordNames.count <= recordIndex { recordNames.append("") }
                recordNames[recordIndex] = piece.record
            }
        }
        for k in passing.windows.indices {
            add(start: piece.origin + Int(passing.windows[k]) * step, forward: passing.forward[k], reverse: passing.reverse[k],
                forwardP: passing.forwardP[k], reverseP: passing.reverseP[k],
                forwardSite: passing.site(k, reverse: false), reverseSite: passing.site(k, reverse: true))
        }
        if let length = piece.recordLength {
            output.noteRecordLength(length, of: piece.record)
            try finishChromosome()
        } else {
            try flushReady(nextWindow: piece.origin + piece.windows * step)
        }
    }

    /// The background the p-values were measured against (made by the scan, once it finished).
    package var resolvedBackground: GenomeBackground? { background }

    package func finish(tests: Int) throws(GenomeIOError) {
        defer { scanReport?.finish(tests: tests) }
        guard let held else { return }
        if let deferredBackground {
            let made = deferredBackground()
            background = made
            scanReport?.background = made
            let significance = WindowSignificance(background: made, maximumP: 1, merged: merge)
            let middles = middleBlocks
            held.resolve = { region in RegionWriter.resolve(&region, significance: significance, middles: middles) }
        }
        let released = try held.release(tests: tests, maximumQ: maximumQ) { (region, q) throws(GenomeIOError) in
            try writeLine(region, chromosome: recordNames[region.recordIndex], significance: (region.pValue, q))
            if let background {
                try sidecar?.unit(p: region.pValue, q: q, probability: region.pValueProbability,
                                  gcBin: background.gcBin(recordIndex: region.backgroundIndex, start: region.pValueWindow))
            }
        }
        report = released
        if let background { try sidecar?.finish(tests: tests, report: released, background: background, merged: merge) }
    }

    /// Adds one passing window of the current chromosome. Windows must come in increasing
    /// start order (both strands of one window together). NaN means not passing.
    private func add(start: Int, forward: Float, reverse: Float, forwardP: Double, reverseP: Double,
                     forwardSite: LocatedSite, reverseSite: LocatedSite) {
        for strand in 0..<2 {
            let (p, pValue, site) = strand == 0 ? (forward, forwardP, forwardSite) : (reverse, reverseP, reverseSite)
            guard !p.isNaN else { continue }
            let end = start + windowLength
            if merge, var region = open[strand], start <= region.end {
                region.end = end
                if p > region.probability {
                    region.probability = p
                    region.bestWindow = start
                    region.site = site
                }
                region.consider(pValue: pValue, window: start, probability: p)
                if deferredBackground != nil { noteBlock(start: start, probability: p, of: &region.blocks) }
                open[strand] = region
            } else {
                if let region = open[strand] { closed[strand].append(region) }
                var region = Region(start: start, end: end, reverse: strand == 1, probability: p, bestWindow: start,
                                    pValue: pValue, pValueWindow: start, pValueProbability: p, recordIndex: recordIndex,
                                    backgroundIndex: backgroundIndex)
                region.site = site
                if deferredBackground != nil { noteBlock(start: start, probability: p, of: &region.blocks) }
                open[strand] = region
            }
        }
    }

    /// Keeps a window of a region (windows in increasing start order) if it is the best of
    /// its block so far.
    private func noteBlock(start: Int, probability: Float, of blocks: inout BlockBests) {
        let window = BlockBest(start: start, probability: probability)
        let block = start / GenomeBackground.blockLength
        if blocks.first.start < 0 {
            blocks.first = window
        } else if blocks.last.start < 0 {
            if block == blocks.first.start / GenomeBackground.blockLength {
                if probability > blocks.first.probability { blocks.first = window }
            } else {
                blocks.last = window
            }
        } else if block == blocks.last.start / GenomeBackground.blockLength {
            if probability > blocks.last.probability { blocks.last = window }
        } else {
            if blocks.middle < 0 {
                blocks.middle = Int32(middleBlocks.count)
                middleBlocks.append([])
            }
            middleBlocks[Int(blocks.middle)].append(blocks.last)
            blocks.last = window
        }
    }

    /// Gives a region the p-value, window and probability that adding its windows with
    /// `significance`'s p-values gives: p is monotone in the probability within a block, so
    /// each block's best window has the block's smallest p-value.
    private static func resolve(_ region: inout Region, significance: WindowSignificance, middles: [[BlockBest]]) {
        region.pValue = 1
        region.pValueWindow = region.start
        region.pValueProbability = -.infinity
        func consider(_ block: BlockBest) {
            guard block.start >= 0 else { return }
            let p = significance.pValue(recordIndex: region.backgroundIndex, start: block.start, probability: block.probability) ?? 1
            region.consider(pValue: p, window: block.start, probability: block.probability)
        }
        consider(region.blocks.first)
        if region.blocks.middle >= 0 { middles[Int(region.blocks.middle)].forEach(consider) }
        consider(region.blocks.last)
    }

    /// Writes every region that can no longer be preceded by one still to come.
    /// `nextWindow` is the start of the next window that will be added.
    private func flushReady(nextWindow: Int) throws(GenomeIOError) {
        // A region still open can only grow to the right, so it is final once the next
        // window starts past its end (with merging, past end means no overlap or touch).
        for strand in 0..<2 {
            if let region = open[strand], nextWindow > region.end || !merge {
                closed[strand].append(region)
                open[strand] = nil
            }
        }
        var bound = nextWindow
        for strand in 0..<2 { if let region = open[strand] { bound = min(bound, region.start) } }
        try writeClosed(below: bound)
    }

    /// Closes and writes everything for the current chromosome.
    private func finishChromosome() throws(GenomeIOError) {
        for strand in 0..<2 {
            if let region = open[strand] { closed[strand].append(region) }
            open[strand] = nil
        }
        try writeClosed(below: Int.max)
    }

    private func writeClosed(below bound: Int) throws(GenomeIOError) {
        while true {
            var pick: Int?
            for strand in 0..<2 where closedHead[strand] < closed[strand].count {
                let r = closed[strand][closedHead[strand]]
                guard r.start < bound else { continue }
                if let other = pick {
                    let o = closed[other][closedHead[other]]
                    if (r.start, r.end, strand) < (o.start, o.end, other) { pick = strand }
                } else {
                    pick = strand
                }
            }
            guard let strand = pick else { break }
            scanReport?.closed(closed[strand][closedHead[strand]], chromosome: chromosome)
            if let held {
                try held.append(closed[strand][closedHead[strand]])
            } else {
                try writeLine(closed[strand][closedHead[strand]], chromosome: chromosome, significance: nil)
            }
            closedHead[strand] += 1
        }
        for strand in 0..<2 where closedHead[strand] > 1024 || closedHead[strand] == closed[strand].count {
            closed[strand].removeFirst(closedHead[strand])
            closedHead[strand] = 0
        }
    }

    private func writeLine(_ region: Region, chromosome: String, significance: (p: Double, q: Double)?) throws(GenomeIOError) {
        line.removeAll()
        Format.append(region, chromosome: chromosome, name: name, windowLength: windowLength, significance: significance, to: &line)
        try output.write(bytes: line.bytes)
        linesWritten += 1
        scanReport?.written(region, q: significance?.q)
    }
}

/// A region writer of any of the BED-family formats.
package protocol RegionTrackWriter: TrackWriter where Renderer == ThresholdRenderer {
    /// With statistics, once finished: how many regions the q-values let through.
    var report: SignificanceReport? { get }
}

extension RegionWriter: RegionTrackWriter {}
