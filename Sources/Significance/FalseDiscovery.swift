/// Benjamini–Hochberg q-values (Benjamini & Hochberg 1995) for a set of p-values out of a
/// larger number of tests: q(p) = min over p′ ≥ p of p′ · tests / #{p-values ≤ p′}, capped at 1.
///
/// Only the p-values at or below some cut need to be given, with `tests` the number of all
/// tests: the ranks of those p-values are the same among all tests, and a p-value above
/// the cut can only lower a q-value to above cut · tests / (p-values given).
public struct BenjaminiHochberg: Sendable {
    private let sorted: [Double]
    private let q: [Double]

    public init(pValues: [Double], tests: Int) {
        sorted = pValues.sorted()
        var q = [Double](repeating: 1, count: sorted.count)
        var running = 1.0
        let m = Double(max(tests, sorted.count))
        for j in stride(from: sorted.count - 1, through: 0, by: -1) {
            running = min(running, sorted[j] * m / Double(j + 1))
            q[j] = running
        }
        self.q = q
    }

    /// The q-value of a p-value that was among those given.
    public func qValue(_ p: Double) -> Double {
        // The last index with sorted[i] ≤ p (ties share the q of the last of them).
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] <= p { low = mid + 1 } else { high = mid }
        }
        return low > 0 ? q[low - 1] : 1
    }

    /// The given p-values' q-values, ascending (q rises with p).
    public var ascendingQValues: [Double] { q }

    /// How many of the given p-values have q ≤ level.
    public func count(atMost level: Double) -> Int { q.count { $0 <= level } }
}
