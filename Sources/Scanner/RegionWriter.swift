/// The windows of a piece that pass the threshold on a strand: indices into the piece's
/// windows, ascending, with both strands' probabilities (NaN where not scored).
struct PassingWindows: Sendable {
    var windows: [Int32] = []
    var forward: [Float] = []
    var reverse: [Float] = []
}

/// Keeps a piece's windows at or above the threshold on either strand.
struct ThresholdRenderer: PieceRenderer {
    let threshold: Float

    var precision: ScoringPrecision { ScoringPrecision(threshold: threshold, approximateBelow: false) }

    func render(_ windows: PieceWindows) -> PassingWindows {
        var passing = PassingWindows()
        for k in 0..<windows.count {
            let (scorable, forward, reverse) = windows.window(k)
            guard scorable, forward >= threshold || reverse >= threshold else { continue }
            passing.windows.append(Int32(k))
            passing.forward.append(forward)
            passing.reverse.append(reverse)
        }
        return passing
    }
}

/// A candidate region: windows on one strand that pass the threshold and overlap or touch.
/// Coordinates are 0-based, half-open, on the forward strand.
struct Region {
    var start: Int
    var end: Int
    var reverse: Bool
    var probability: Float
    /// The start of the window with the highest probability (the first, on ties).
    var bestWindow: Int
}

/// How one BED-family format writes a region.
protocol RegionFormat {
    static func trackLine(name: String) -> String
    /// Appends the region's line, newline included.
    static func append(_ region: Region, chromosome: String, name: String, windowLength: Int, to line: inout LineBuffer)
}

/// BED6+1: chrom, start, end, name, score (round(1000·p)), strand, probability.
enum BEDFormat: RegionFormat {
    static func trackLine(name: String) -> String {
        "track name=\"\(name)\" description=\"annotate candidate TFBS (\(name))\" useScore=1\n"
    }

    static func append(_ region: Region, chromosome: String, name: String, windowLength: Int, to line: inout LineBuffer) {
        appendColumns(region, chromosome: chromosome, name: name, to: &line)
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

/// ENCODE narrowPeak (BED6+4): signalValue = max p, pValue = qValue = −1, peak = offset of
/// the best window's centre from the region start.
enum NarrowPeakFormat: RegionFormat {
    static func trackLine(name: String) -> String {
        "track type=narrowPeak name=\"\(name)\" description=\"annotate candidate TFBS (\(name))\" useScore=1\n"
    }

    static func append(_ region: Region, chromosome: String, name: String, windowLength: Int, to line: inout LineBuffer) {
        BEDFormat.appendColumns(region, chromosome: chromosome, name: name, to: &line)
        line.append("\t-1\t-1\t")
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

    private var chromosome = ""
    private var open: [Region?] = [nil, nil]
    private var closed: [[Region]] = [[], []]
    private var closedHead = [0, 0]
    private var line = LineBuffer()

    init(output: OutputFile, options: OutputOptions, name: String, geometry: WindowGeometry) {
        self.output = output
        self.name = name
        merge = options.merge
        trackLine = options.trackLine
        windowLength = geometry.length
        step = geometry.step
        renderer = ThresholdRenderer(threshold: options.threshold)
    }

    func begin() throws(ScannerError) {
        if trackLine { try output.write(Format.trackLine(name: name)) }
    }

    func write(_ passing: PassingWindows, of piece: RenderedPiece) throws(ScannerError) {
        if piece.isFirst { chromosome = piece.record }
        for k in passing.windows.indices {
            add(start: piece.origin + Int(passing.windows[k]) * step, forward: passing.forward[k], reverse: passing.reverse[k])
        }
        if piece.recordLength != nil {
            try finishChromosome()
        } else {
            try flushReady(nextWindow: piece.origin + piece.windows * step)
        }
    }

    func finish() throws(ScannerError) {}

    /// Adds one passing window of the current chromosome. Windows must come in increasing
    /// start order (both strands of one window together). NaN means not scored.
    private func add(start: Int, forward: Float, reverse: Float) {
        for strand in 0..<2 {
            let p = strand == 0 ? forward : reverse
            guard !p.isNaN, p >= renderer.threshold else { continue }
            let end = start + windowLength
            if merge, var region = open[strand], start <= region.end {
                region.end = end
                if p > region.probability {
                    region.probability = p
                    region.bestWindow = start
                }
                open[strand] = region
            } else {
                if let region = open[strand] { closed[strand].append(region) }
                open[strand] = Region(start: start, end: end, reverse: strand == 1, probability: p, bestWindow: start)
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
            line.removeAll()
            Format.append(closed[strand][closedHead[strand]], chromosome: chromosome, name: name, windowLength: windowLength, to: &line)
            try output.write(bytes: line.bytes)
            linesWritten += 1
            closedHead[strand] += 1
        }
        for strand in 0..<2 where closedHead[strand] > 1024 || closedHead[strand] == closed[strand].count {
            closed[strand].removeFirst(closedHead[strand])
            closedHead[strand] = 0
        }
    }
}
