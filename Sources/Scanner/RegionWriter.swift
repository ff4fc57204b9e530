/// Output formats for scan results.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// BED6+1: chrom, start, end, name, score (round(1000·p)), strand, probability.
    case bed
    /// ENCODE narrowPeak (BED6+4): signalValue = max p, pValue = qValue = −1, peak = offset
    /// of the best window's centre from the region start.
    case narrowpeak
    /// UCSC bedGraph of one strand's per-window probability at window centres, span = step.
    case bedgraph
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

/// Turns per-window probabilities, fed in chromosome order, into sorted BED-family lines.
///
/// Both strands' regions are merged into one stream ordered by (start, end, strand), so
/// `bedtools sort` leaves the output unchanged. A region is written once no region that
/// sorts before it can still appear: its start is below every open region's start and
/// below the next window to come.
final class RegionWriter {
    let output: OutputFile
    let format: OutputFormat
    let name: String
    let threshold: Float
    let merge: Bool
    let windowLength: Int
    let step: Int
    private(set) var regionsWritten = 0

    private var chromosome = ""
    private var open: [Region?] = [nil, nil]
    private var closed: [[Region]] = [[], []]
    private var closedHead = [0, 0]
    private var line = LineBuffer()

    init(output: OutputFile, format: OutputFormat, name: String, threshold: Float, merge: Bool, windowLength: Int, step: Int) {
        self.output = output
        self.format = format
        self.name = name
        self.threshold = threshold
        self.merge = merge
        self.windowLength = windowLength
        self.step = step
    }

    /// The UCSC track line for this format.
    func trackLine() -> String {
        switch format {
        case .bed:
            return "track name=\"\(name)\" description=\"annotate candidate TFBS (\(name))\" useScore=1\n"
        case .narrowpeak:
            return "track type=narrowPeak name=\"\(name)\" description=\"annotate candidate TFBS (\(name))\" useScore=1\n"
        case .bedgraph:
            return "track type=bedGraph name=\"\(name)\" description=\"annotate window probability (\(name))\" viewLimits=0:1 autoScale=off\n"
        }
    }

    func beginChromosome(_ name: String) {
        chromosome = name
    }

    /// Adds one window of the current chromosome. Windows must come in increasing start order
    /// (both strands of one window together). NaN means the window was not scored.
    func addWindow(start: Int, forward: Float, reverse: Float) {
        for strand in 0..<2 {
            let p = strand == 0 ? forward : reverse
            guard !p.isNaN, p >= threshold else { continue }
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
    func flushReady(nextWindow: Int) throws(ScannerError) {
        guard format != .bedgraph else { return }
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
    func finishChromosome() throws(ScannerError) {
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
            try write(closed[strand][closedHead[strand]])
            closedHead[strand] += 1
        }
        for strand in 0..<2 where closedHead[strand] > 1024 || closedHead[strand] == closed[strand].count {
            closed[strand].removeFirst(closedHead[strand])
            closedHead[strand] = 0
        }
    }

    private func write(_ region: Region) throws(ScannerError) {
        line.removeAll()
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
        if format == .narrowpeak {
            line.append("\t-1\t-1\t")
            line.appendInteger(region.bestWindow + windowLength / 2 - region.start)
        }
        line.append(0x0A)
        try output.write(bytes: line.bytes)
        regionsWritten += 1
    }

    /// Writes lines formatted elsewhere (bedGraph, by the workers).
    func write(lines: [UInt8], count: Int) throws(ScannerError) {
        try output.write(bytes: lines)
        regionsWritten += count
    }
}
