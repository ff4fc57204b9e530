import Significance

/// Windows tallied by logit in bins of 1/4, from −48 (and below) to +24, as the scan's
/// report draws them: every scored window of the genome, tallied by the scorer on the
/// worker threads (by the fast path's logit for the windows it proves below the threshold,
/// within `FastPath.logitError` of the reference's), and the background's decoys, from
/// their finer `ScoreBins`.
public struct LogitHistogram: Sendable, Equatable {
    public static let perLogit = 4
    public static let lowestLogit = ScoreBins.lowestLogit
    public static let count = 72 * perLogit
    public private(set) var counts: [UInt64]

    public init() { counts = [UInt64](repeating: 0, count: LogitHistogram.count) }

    /// The decoys of a background, re-binned from 1/128 to 1/4 logit (the edges agree).
    init(decoys: [DecoyTally]) {
        self.init()
        let ratio = ScoreBins.perLogit / LogitHistogram.perLogit
        for tally in decoys {
            for (k, count) in tally.counts.enumerated() { counts[k / ratio] &+= count }
        }
    }

    /// The lower edge of bin k, in logits.
    public static func lowerEdge(_ k: Int) -> Double { Double(lowestLogit) + Double(k) / Double(perLogit) }

    public var total: UInt64 { counts.reduce(0, &+) }

    /// Lends the counts to a scorer.
    mutating func withCounts(_ body: (UnsafeMutablePointer<UInt64>) -> Void) {
        counts.withUnsafeMutableBufferPointer { if let base = $0.baseAddress { body(base) } }
    }

    mutating func add(_ other: LogitHistogram) {
        for k in counts.indices { counts[k] &+= other.counts[k] }
    }

    /// Counts a window by its probability (NaN: not scored).
    package mutating func add(probability: Float) {
        if !probability.isNaN { counts[LogitHistogram.bin(probability: probability)] &+= 1 }
    }

    /// The bin of a window's probability: its logit as `ScoreBins.logit` gives it.
    @inline(__always)
    static func bin(probability: Float) -> Int { bin(logit: ScoreBins.logit(probability)) }

    @inline(__always)
    static func bin(logit: Double) -> Int {
        let k = (logit - Double(lowestLogit)) * Double(perLogit)
        return k >= Double(count - 1) ? count - 1 : (k > 0 ? Int(k) : 0)
    }
}

/// A window whose bases a scan report may show: the best window of a run of passing windows.
struct CapturedWindow: Sendable {
    let start: Int
    let reverse: Bool
    /// Its bases on the forward strand.
    let bases: [UInt8]
}

/// One of the report's top regions: where it is, its numbers, and its best window as the
/// model read it (reverse-complemented on the − strand).
public struct ReportedRegion: Sendable {
    public let chromosome: String
    public let start: Int, end: Int
    public let reverse: Bool
    public let probability: Float
    public let bestWindow: Int
    /// Nil without statistics.
    public let pValue: Double?
    public internal(set) var qValue: Double?
    public let window: [UInt8]?
    let recordIndex: Int
    /// Whether it was written (it passed the q-value cut, when there is one).
    var isWritten = false
}

/// What `scan --report` shows, gathered as the scan ran.
public struct ScanReportData: Sendable {
    /// Every scored window of the genome (both strands when both are scored).
    public let genome: LogitHistogram
    /// The background's decoy windows, with statistics.
    public let background: LogitHistogram?
    /// The tests (windows scored) and the regions (windows with --no-merge) that passed the
    /// probability and p-value cuts, before any q-value cut.
    public let tests: Int
    public let candidates: Int
    /// Their q-values, ascending (with statistics).
    public let qValues: [Double]
    /// Each record: its name, length, and the written calls per 100-bp bin of their best
    /// window's centre, as (bin, calls) ascending.
    public let records: [(name: String, length: Int, calls: [(bin: Int, count: Int)])]
    public static let callBin = 100
    /// The best written regions, best first: smallest p-value, then highest probability.
    public let top: [ReportedRegion]
    public let written: Int

    /// How many candidates have q ≤ `level`.
    public func regions(atMostQ level: Double) -> Int {
        var low = 0, high = qValues.count
        while low < high {
            let mid = (low + high) / 2
            if qValues[mid] <= level { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

/// What the renderer gathers for a report: the logits of every window, and the bases of
/// the windows that may become the report's top regions.
struct ReportCapture: Sendable {
    /// Whether the scan merges windows into regions (else each window is one).
    let merge: Bool
    /// The full runs kept per piece, best first.
    static let top = 20

    /// The best window of each run of passing windows on a strand that could be the best
    /// window of one of the scan's `top` best regions.
    ///
    /// A run is what the writer merges within this piece: a region, or (at the piece's ends,
    /// "partial") part of one that goes on into the next or previous piece. Partial runs are
    /// always kept; of the others, the `top` best by the writer's order (smallest p-value,
    /// then highest probability). A full run left out has `top` better regions in this piece
    /// alone, so it cannot be among the scan's `top`.
    func capture(_ passing: PassingWindows, of windows: PieceWindows) -> [CapturedWindow] {
        struct Run { var first: Int, end: Int, best: Int, bestWindow: Int32, probability: Float, p: Double, reverse: Bool }
        var full: [Run] = [], kept: [Run] = []
        let nextPiece = windows.origin + windows.count * windows.step
        for strand in 0..<2 {
            var open: Run?
            func close() {
                guard let run = open else { return }
                let partial = merge && (run.first < windows.origin + windows.windowLength + windows.step || run.end >= nextPiece)
                if partial { kept.append(run) } else { full.append(run) }
            }
            for k in passing.windows.indices {
                let (p, pValue) = strand == 0 ? (passing.forward[k], passing.forwardP[k]) : (passing.reverse[k], passing.reverseP[k])
                guard !p.isNaN else { continue }
                let start = windows.origin + Int(passing.windows[k]) * windows.step
                if merge, var run = open, start <= run.end {
                    run.end = start + windows.windowLength
                    if p > run.probability { (run.probability, run.best, run.bestWindow) = (p, start, passing.windows[k]) }
                    run.p = min(run.p, pValue)
                    open = run
                } else {
                    close()
                    open = Run(first: start, end: start + windows.windowLength, best: start, bestWindow: passing.windows[k],
                               probability: p, p: pValue, reverse: strand == 1)
                }
            }
            close()
        }
        if full.count > ReportCapture.top {
            full.sort { ($0.p, -$0.probability, $0.best, $0.reverse ? 1 : 0) < ($1.p, -$1.probability, $1.best, $1.reverse ? 1 : 0) }
            full.removeLast(full.count - ReportCapture.top)
        }
        return (kept + full).sorted { ($0.best, $0.reverse ? 1 : 0) < ($1.best, $1.reverse ? 1 : 0) }.map { run in
            let offset = windows.baseOffset + Int(run.bestWindow) * windows.step
            return CapturedWindow(start: run.best, reverse: run.reverse, bases: Array(windows.bases[offset..<(offset + windows.windowLength)]))
        }
    }
}
