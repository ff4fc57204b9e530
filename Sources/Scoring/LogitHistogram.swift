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
    package init(decoys: [DecoyTally]) {
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

    package mutating func add(_ other: LogitHistogram) {
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
