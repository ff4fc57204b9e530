#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The score axis of a null distribution: the window's logit, log(p / (1 − p)), in bins of
/// 1/128 from −48 to +24. A probability of exactly 0 falls in the first bin and one of
/// exactly 1 (in a Float, anything above 1 − 2⁻²⁵) counts as logit log 2²⁵ ≈ 17.3.
public enum ScoreBins {
    public static let perLogit = 128
    public static let lowestLogit = -48
    public static let count = 72 * perLogit

    /// The logit of a window's probability, finite for every probability.
    @inlinable
    public static func logit(_ probability: Float) -> Double {
        let p = Double(probability)
        if p >= 1 { return 25 * M_LN2 }
        if p <= 0 { return Double(lowestLogit) }
        return log(p) - log1p(-p)
    }

    @inlinable
    public static func bin(logit: Double) -> Int {
        let k = (logit - Double(lowestLogit)) * Double(perLogit)
        return k >= Double(count - 1) ? count - 1 : (k > 0 ? Int(k) : 0)
    }

    /// The lower edge of bin k, in logits.
    public static func lowerEdge(_ k: Int) -> Double { Double(lowestLogit) + Double(k) / Double(perLogit) }
}

/// Decoy windows tallied by score bin.
public struct DecoyTally: Sendable, Equatable {
    public private(set) var counts: [UInt64]
    public private(set) var windows: UInt64 = 0

    public init() { counts = [UInt64](repeating: 0, count: ScoreBins.count) }

    public mutating func add(probability: Float) { add(bin: ScoreBins.bin(logit: ScoreBins.logit(probability))) }

    @inline(__always)
    public mutating func add(bin: Int) {
        counts[bin] &+= 1
        windows &+= 1
    }

    /// Adds a window for each of `bins` (each a `ScoreBins` bin).
    public mutating func add(bins: UnsafeBufferPointer<Int32>) {
        counts.withUnsafeMutableBufferPointer { counts in
            for bin in bins { counts[Int(bin)] &+= 1 }
        }
        windows &+= UInt64(bins.count)
    }

    public mutating func add(_ other: DecoyTally) {
        for k in 0..<ScoreBins.count { counts[k] &+= other.counts[k] }
        windows &+= other.windows
    }

    /// Sets one bin's count (for a tally read back from a file); false for a bin out of range.
    @discardableResult
    public mutating func set(bin: Int, count: UInt64) -> Bool {
        guard counts.indices.contains(bin) else { return false }
        windows = windows - counts[bin] + count
        counts[bin] = count
        return true
    }
}

/// P-values from a tally of decoy windows: the chance that a background window scores at
/// least as high.
///
/// Where at least `exceedances` decoys score as high, p = (1 + n≥) / (1 + n), with n≥ the
/// decoys in the window's bin and above (so ties count against the window) and n the
/// decoys: the permutation p-value, never 0. Above that, where decoys are too few to count,
/// the tail is a generalized Pareto distribution fitted to the top `exceedances` decoys by
/// probability-weighted moments (Hosking & Wallis 1987), as Knijnenburg et al. (2009) do for
/// permutation tests, with its shape held at 0 or above (an exponential or heavier tail),
/// so that an extrapolated p-value errs large rather than small.
public struct PValueTable: Sendable {
    /// Decoys in bin k and above.
    private let atLeast: [Double]
    public let decoys: Double
    public let tail: Tail?

    /// The fitted tail above `threshold` (a logit): P(score ≥ x) = fraction · S(x − threshold).
    public struct Tail: Sendable, Equatable {
        public let threshold: Double
        public let fraction: Double
        public let shape: Double
        public let scale: Double

        public func survival(_ excess: Double) -> Double {
            shape > 0 ? pow(1 + shape * excess / scale, -1 / shape) : exp(-excess / scale)
        }
    }

    /// At most this many top decoys are fitted, and at least a quarter of all decoys.
    public static let exceedances = 250

    public init(_ tally: DecoyTally) { self.init(counts: tally.counts, decoys: tally.windows) }

    /// From `counts` by score bin out of `decoys` decoy windows (which may be more than the
    /// counts add up to: for clusters, `ClusterTally.table`).
    public init(counts: [UInt64], decoys: UInt64) {
        var atLeast = [Double](repeating: 0, count: ScoreBins.count + 1)
        for k in stride(from: ScoreBins.count - 1, through: 0, by: -1) { atLeast[k] = atLeast[k + 1] + Double(counts[k]) }
        self.atLeast = atLeast
        self.decoys = Double(decoys)
        tail = PValueTable.fitTail(counts, decoys: decoys, atLeast: atLeast)
    }

    /// The p-value of a window with this logit.
    public func pValue(logit: Double) -> Double {
        if let tail, logit >= tail.threshold { return max(tail.fraction * tail.survival(logit - tail.threshold), 1e-300) }
        return (1 + atLeast[ScoreBins.bin(logit: logit)]) / (1 + decoys)
    }

    /// The lowest logit whose p-value is at most `p`: a window below it cannot pass `p`.
    public func lowestLogit(passing p: Double) -> Double {
        if let tail, p < tail.fraction { return tail.threshold + inverseSurvival(tail, p / tail.fraction) }
        // The empirical part is a step function of the bin: the first bin whose count passes.
        for k in 0..<ScoreBins.count where (1 + atLeast[k]) / (1 + decoys) <= p { return ScoreBins.lowerEdge(k) }
        return tail?.threshold ?? .infinity
    }

    private func inverseSurvival(_ tail: Tail, _ s: Double) -> Double {
        tail.shape > 0 ? tail.scale * (pow(s, -tail.shape) - 1) / tail.shape : -tail.scale * log(s)
    }

    private static func fitTail(_ counts: [UInt64], decoys: UInt64, atLeast: [Double]) -> Tail? {
        let wanted = Double(min(exceedances, Int(decoys / 4)))
        guard wanted >= 20 else { return nil }
        // The threshold is the lower edge of the highest bin with at least `wanted` decoys
        // in it and above.
        var first = ScoreBins.count - 1
        while first > 0 && atLeast[first] < wanted { first -= 1 }
        let n = atLeast[first]
        let threshold = ScoreBins.lowerEdge(first)
        // Probability-weighted moments of the excesses y (bin centres − threshold), in
        // ascending order: a₀ = mean y, a₁ = mean (1 − pᵢ) yᵢ with pᵢ = (i − 0.35) / n.
        var a0 = 0.0, a1 = 0.0, rank = 0.0
        for k in first..<ScoreBins.count where counts[k] > 0 {
            let c = Double(counts[k])
            let y = (Double(k - first) + 0.5) / Double(ScoreBins.perLogit)
            // Ranks rank+1 … rank+c: Σ (1 − (i − 0.35)/n) = c − (c·rank + c(c+1)/2 − 0.35c) / n.
            let weight = c - (c * rank + c * (c + 1) / 2 - 0.35 * c) / n
            a0 += c * y
            a1 += weight * y
            rank += c
        }
        a0 /= n
        a1 /= n
        var shape = 0.0, scale = a0
        if a0 > 2 * a1 {
            let k = a0 / (a0 - 2 * a1) - 2
            if k < 0 {
                shape = -k
                scale = 2 * a0 * a1 / (a0 - 2 * a1)
            }
        }
        scale = max(scale, 0.5 / Double(ScoreBins.perLogit))
        return Tail(threshold: threshold, fraction: (1 + n) / (1 + Double(decoys)), shape: shape, scale: scale)
    }
}
