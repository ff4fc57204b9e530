/// The windows of a piece that pass on a strand: indices into the piece's windows,
/// ascending, with both strands' probabilities (NaN where not scored or not passing) and
/// p-values (1 without statistics).
struct PassingWindows: Sendable {
    var windows: [Int32] = []
    var forward: [Float] = []
    var reverse: [Float] = []
    var forwardP: [Double] = []
    var reverseP: [Double] = []
    /// For a report: the logits of the scored windows (of the whole work item, on its first
    /// piece), and the windows the report may show.
    var histogram: LogitHistogram?
    var captured: [CapturedWindow] = []
}

/// Keeps a piece's windows that pass on either strand: probability at or above the
/// threshold and, with statistics, p-value at most the cut.
struct ThresholdRenderer: PieceRenderer {
    let threshold: Float
    let significance: WindowSignificance?
    /// Set for a scan report.
    let report: ReportCapture?

    init(threshold: Float, significance: WindowSignificance? = nil, report: ReportCapture? = nil) {
        // A window below the lowest probability any class passes needs no p-value.
        self.threshold = max(threshold, significance?.lowestProbability ?? 0)
        self.significance = significance
        self.report = report
    }

    var precision: ScoringPrecision { ScoringPrecision(threshold: threshold, approximateBelow: false, tallyLogits: report != nil) }

    func render(_ windows: PieceWindows) -> PassingWindows {
        var passing = PassingWindows()
        for k in 0..<windows.count {
            var (scorable, forward, reverse) = windows.window(k)
            guard scorable, forward >= threshold || reverse >= threshold else { continue }
            var forwardP = 1.0, reverseP = 1.0
            if !(forward >= threshold) { forward = .nan }
            if !(reverse >= threshold) { reverse = .nan }
            if let significance {
                let start = windows.origin + k * windows.step
                if !forward.isNaN {
                    forwardP = significance.background.pValue(recordIndex: windows.backgroundIndex, start: start, probability: forward)
                    if forwardP > significance.maximumP { forward = .nan }
                }
                if !reverse.isNaN {
                    reverseP = significance.background.pValue(recordIndex: windows.backgroundIndex, start: start, probability: reverse)
                    if reverseP > significance.maximumP { reverse = .nan }
                }
                if forward.isNaN && reverse.isNaN { continue }
            }
            passing.windows.append(Int32(k))
            passing.forward.append(forward)
            passing.reverse.append(reverse)
            passing.forwardP.append(forwardP)
            passing.reverseP.append(reverseP)
        }
        if let report {
            passing.histogram = windows.histogram
            passing.captured = report.capture(passing, of: windows)
        }
        return passing
    }
}

/// What a scan with statistics needs to give windows their p-values and cut them.
struct WindowSignificance: Sendable {
    let background: GenomeBackground
    /// Windows pass only with p at most this.
    let maximumP: Double
    /// No window below this probability has p ≤ `maximumP`.
    let lowestProbability: Float

    init(background: GenomeBackground, maximumP: Double) {
        self.background = background
        self.maximumP = maximumP
        lowestProbability = maximumP < 1 ? background.lowestProbability(passing: maximumP) : 0
    }
}

/// A candidate region: windows on one strand that pass and overlap or touch.
/// Coordinates are 0-based, half-open, on the forward strand.
struct Region {
    var start: Int
    var end: Int
    var reverse: Bool
    var probability: Float
    /// The start of the window with the highest probability (the first, on ties).
    var bestWindow: Int
    /// The smallest p-value of its windows (1 without statistics), and that window's start
    /// and probability.
    var pValue: Double
    var pValueWindow: Int
    var pValueProbability: Float
    /// The record's number in the scan, and in its background.
    var recordIndex: Int
    var backgroundIndex: Int
}

/// How one BED-family format writes a region.
protocol RegionFormat {
    static func trackLine(name: String) -> String
    /// Appends the region's line, newline included; `significance` is its p- and q-value
    /// when the scan has statistics.
    static func append(_ region: Region, chromosome: String, name: String, windowLength: Int,
                       significance: (p: Double, q: Double)?, to line: inout LineBuffer)
}

/// BED6+3: chrom, start, end, name, score (round(1000·p)), strand, probability, −log10 p,
/// −log10 q; BED6+1 (without the last two) when the scan has no statistics.
enum BEDFormat: RegionFormat {
    static func trackLine(name: String) -> String {
        "track name=\"\(name)\" description=\"annotate candidate TFBS (\(name))\" useScore=1\n"
    }

    static func append(_ region: Region, chromosome: String, name: String, windowLength: Int,
                       significance: (p: Double, q: Double)?, to line: inout LineBuffer) {
        appendColumns(region, chromosome: chromosome, name: name, to: &line)
        if let significance {
            line.append(0x09)
            line.appendNegativeLog10(significance.p)
            line.append(0x09)
            line.appendNegativeLog10(significance.q)
        }
        line.append(0x0A)
    }

    /// The six BED columns and the probability, without a newline.
    static func appendColumns(_ region: Region, chromosome: String, name: String, to line: inout LineBuffer) {
        line.append(chromosome)
        line.append(0x09)
        line.appendInteger(region.start)
        line.append(0x09)
        line.appendInteger(region.end)
        line.append(0x09)
        line.append(name)
        line.append(0x09)
        line.appendInteger(Int((Double(region.probability) * 1000).rounded(.toNearestOrAwayFromZero)))
        line.append(0x09)
        line.append(region.reverse ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        line.append(0x09)
        line.appendFixed4(region.probability)
    }
}

/// ENCODE narrowPeak (BED6+4): signalValue = max p, pValue = −log10 p, qValue = −log10 q
/// (both −1 without statistics), peak = offset of the best window's centre from the region start.
enum NarrowPeakFormat: RegionFormat {
    static func trackLine(name: String) -> String {
        "track type=narrowPeak name=\"\(name)\" description=\"annotate candidate TFBS (\(name))\" useScore=1\n"
    }

    static func append(_ region: Region, chromosome: String, name: String, windowLength: Int,
                       significance: (p: Double, q: Double)?, to line: inout LineBuffer) {
        BEDFormat.appendColumns(region, chromosome: chromosome, name: name, to: &line)
        if let significance {
            line.append(0x09)
            line.appendNegativeLog10(significance.p)
            line.append(0x09)
            line.appendNegativeLog10(significance.q)
            line.append(0x09)
        } else {
            line.append("\t-1\t-1\t")
        }
        line.appendInteger(region.bestWindow + windowLength / 2 - region.start)
        line.append(0x0A)
    }
}

/// Writes the windows that pass the threshold as BED-family lines, merged into regions.
///
/// Both strands' regions are merged into one stream ordered by (start, end, strand), so
/// `bedtools sort` leaves the output unchanged. A region is written once no region that
/// sorts before it can still appear: its start is below every open region's start and
/// below the next window to come.
final class RegionWriter<Format: RegionFormat>: TrackWriter {
    let output: OutputFile
    let name: String
    let merge: Bool
    let trackLine: Bool
    let windowLength: Int
    let step: Int
    let renderer: ThresholdRenderer
    private(set) var linesWritten = 0
    /// With statistics: the regions held for their q-values, the cut on those, and how it went.
    private let held: HeldRegions?
    private let maximumQ: Double?
    private(set) var report: SignificanceReport?
    /// Where the statistics go, when asked for (`StatisticsSidecar`).
    private var sidecar: StatisticsSidecar?
    private let background: GenomeBackground?
    /// What a report needs, when one is asked for.
    private let scanReport: ScanReportCollector?

    private var chromosome = ""
    private var recordIndex = 0, backgroundIndex = -1
    private var recordNames: [String] = []
    private var open: [Region?] = [nil, nil]
    private var closed: [[Region]] = [[], []]
    private var closedHead = [0, 0]
    private var line = LineBuffer()

    /// With `holding` (by default, when there is `significance`), regions are held for their
    /// q-values until `finish`.
    init(output: OutputFile, options: OutputOptions, name: String, geometry: WindowGeometry,
         significance: WindowSignificance? = nil, statistics: OutputFile? = nil, holding: Bool? = nil,
         report: ScanReportCollector? = nil) throws(ScannerError) {
        self.output = output
        self.name = name
        merge = options.merge
        trackLine = options.trackLine
        windowLength = geometry.length
        step = geometry.step
        renderer = ThresholdRenderer(threshold: options.probabilityCut, significance: significance,
                                     report: report.map { _ in ReportCapture(merge: options.merge) })
        scanReport = report
        report?.background = significance?.background
        report?.windowLength = geometry.length
        held = holding ?? (significance != nil) ? try HeldRegions() : nil
        maximumQ = options.maximumQ
        background = significance?.background
        if let statistics, significance != nil { sidecar = try StatisticsSidecar(file: statistics) }
    }

    func begin() throws(ScannerError) {
        if trackLine { try output.write(Format.trackLine(name: name)) }
    }

    func write(_ passing: PassingWindows, of piece: RenderedPiece) throws(ScannerError) {
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
                forwardP: passing.forwardP[k], reverseP: passing.reverseP[k])
        }
        if let length = piece.recordLength {
            output.noteRecordLength(length, of: piece.record)
            try finishChromosome()
        } else {
            try flushReady(nextWindow: piece.origin + piece.windows * step)
        }
    }

    func finish(tests: Int) throws(ScannerError) {
        defer { scanReport?.finish(tests: tests) }
        guard let held else { return }
        let released = try held.release(tests: tests, maximumQ: maximumQ) { (region, q) throws(ScannerError) in
            try writeLine(region, chromosome: recordNames[region.recordIndex], significance: (region.pValue, q))
            if let background {
                try sidecar?.unit(p: region.pValue, q: q, probability: region.pValueProbability,
                                  gcBin: background.gcBin(recordIndex: region.backgroundIndex, start: region.pValueWindow))
            }
        }
        report = released
        if let background { try sidecar?.finish(tests: tests, report: released, background: background) }
    }

    /// Adds one passing window of the current chromosome. Windows must come in increasing
    /// start order (both strands of one window together). NaN means not passing.
    private func add(start: Int, forward: Float, reverse: Float, forwardP: Double, reverseP: Double) {
        for strand in 0..<2 {
            let (p, pValue) = strand == 0 ? (forward, forwardP) : (reverse, reverseP)
            guard !p.isNaN else { continue }
            let end = start + windowLength
            if merge, var region = open[strand], start <= region.end {
                region.end = end
                if p > region.probability {
                    region.probability = p
                    region.bestWindow = start
                }
                if pValue < region.pValue {
                    region.pValue = pValue
                    region.pValueWindow = start
                    region.pValueProbability = p
                }
                open[strand] = region
            } else {
                if let region = open[strand] { closed[strand].append(region) }
                open[strand] = Region(start: start, end: end, reverse: strand == 1, probability: p, bestWindow: start,
                                      pValue: pValue, pValueWindow: start, pValueProbability: p, recordIndex: recordIndex,
                                      backgroundIndex: backgroundIndex)
            }
        }
    }

    /// Writes every region that can no longer be preceded by one still to come.
    /// `nextWindow` is the start of the next window that will be added.
    private func flushReady(nextWindow: Int) throws(ScannerError) {
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
    private func finishChromosome() throws(ScannerError) {
        for strand in 0..<2 {
            if let region = open[strand] { closed[strand].append(region) }
            open[strand] = nil
        }
        try writeClosed(below: Int.max)
    }

    private func writeClosed(below bound: Int) throws(ScannerError) {
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

    private func writeLine(_ region: Region, chromosome: String, significance: (p: Double, q: Double)?) throws(ScannerError) {
        line.removeAll()
        Format.append(region, chromosome: chromosome, name: name, windowLength: windowLength, significance: significance, to: &line)
        try output.write(bytes: line.bytes)
        linesWritten += 1
        scanReport?.written(region, q: significance?.q)
    }
}
