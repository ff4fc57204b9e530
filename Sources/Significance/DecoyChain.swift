/// SplitMix64 (Steele, Lea & Flood 2014): a small, fast generator for decoy sequences,
/// seeded per genome block so that every block's decoy is the same in every run.
public struct SplitMix64: Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in [0, 1) with 53 random bits.
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }
}

/// The 4-mer counts of a stretch of DNA: count[64·a + 16·b + 4·c + d] for the 4-mer abcd,
/// bases coded 0–3 (A, C, G, T). Only 4-mers of four scorable bases are counted.
public struct TetramerCounts: Sendable, Equatable {
    public private(set) var counts = [UInt32](repeating: 0, count: 256)

    public init() {}

    public mutating func add(_ tetramer: Int) { counts[tetramer] &+= 1 }

    public mutating func add(_ other: TetramerCounts) {
        for w in 0..<256 { counts[w] &+= other.counts[w] }
    }

    /// Adds `counts` (256 values) to these.
    public mutating func add(_ counts: UnsafeBufferPointer<UInt32>) {
        for w in 0..<256 { self.counts[w] &+= counts[w] }
    }

    public var total: Int { counts.reduce(0) { $0 + Int($1) } }
}

/// An order-3 Markov chain fitted to one stretch's 4-mer counts, from which decoy DNA is
/// drawn: DNA with the stretch's base, dinucleotide and trinucleotide composition and none
/// of its longer words (so none of its sites).
///
/// Each order's estimate is shrunk towards the order below it with `prior` pseudo-counts
/// (P₃(d | abc) = (n(abcd) + κ·P₂(d | bc)) / (n(abc·) + κ), down to P₀(d) = (n(d) + 1) / (n + 4)),
/// so a short stretch gives a chain close to its base composition and a long one the chain
/// its counts say.
public struct DecoyChain: Sendable {
    /// Cumulative P(next | context) as 64-bit thresholds, order k's table of 4^k contexts
    /// (context · 4 + base) starting at 4·(4^k − 1)/3 (0, 4, 20, 84).
    private let thresholds: [UInt64]

    public static let prior = 4.0

    public init(counts: TetramerCounts) {
        let n4 = counts.counts.map(Double.init)
        // Lower orders as marginals of the 4-mers' first bases: n3(abc) = Σ_d n4(abcd), …
        var n3 = [Double](repeating: 0, count: 64), n2 = [Double](repeating: 0, count: 16), n1 = [Double](repeating: 0, count: 4)
        for w in 0..<256 { n3[w >> 2] += n4[w] }
        for w in 0..<64 { n2[w >> 2] += n3[w] }
        for w in 0..<16 { n1[w >> 2] += n2[w] }
        let total = n1.reduce(0, +)
        let p0 = n1.map { ($0 + 1) / (total + 4) }
        func shrink(_ n: [Double], contexts: Int, lower: (Int, Int) -> Double) -> [Double] {
            var p = [Double](repeating: 0, count: contexts * 4)
            for context in 0..<contexts {
                let sum = (0..<4).reduce(0.0) { $0 + n[context * 4 + $1] }
                for base in 0..<4 {
                    p[context * 4 + base] = (n[context * 4 + base] + DecoyChain.prior * lower(context, base)) / (sum + DecoyChain.prior)
                }
            }
            return p
        }
        let p1 = shrink(n2, contexts: 4) { _, base in p0[base] }
        let p2 = shrink(n3, contexts: 16) { context, base in p1[(context & 3) * 4 + base] }
        let p3 = shrink(n4, contexts: 64) { context, base in p2[(context & 15) * 4 + base] }
        thresholds = [p0, p1, p2, p3].flatMap(DecoyChain.cumulative)
    }

    /// Cumulative thresholds per context of 4 probabilities; the last is always UInt64.max.
    private static func cumulative(_ p: [Double]) -> [UInt64] {
        var out = [UInt64](repeating: .max, count: p.count)
        for context in 0..<(p.count / 4) {
            var sum = 0.0
            for base in 0..<3 {
                sum += p[context * 4 + base]
                out[context * 4 + base] = sum >= 1 ? .max : UInt64(sum * 0x1p64)
            }
        }
        return out
    }

    /// Fills `codes` with bases (0–3) drawn from the chain.
    public func sample(into codes: UnsafeMutableBufferPointer<UInt8>, random: inout SplitMix64) {
        var context = 0
        thresholds.withUnsafeBufferPointer { orders in
            for i in 0..<codes.count {
                let order = min(i, 3)
                let r = random.next()
                let contexts = 1 << (2 * order)
                let row = (contexts - 1) * 4 / 3 + (context & (contexts - 1)) * 4
                var base = 0
                while base < 3 && r >= orders[row + base] { base += 1 }
                codes[i] = UInt8(base)
                context = ((context << 2) | base) & 63
            }
        }
    }
}
