import Foundation

/// What one first-layer filter learned: the sites that switch it on, as a position
/// frequency matrix, and how much the model's predictions depend on it.
public struct FilterMotif: Sendable, Equatable {
    /// The filter's index in the first convolution (0-based).
    public var filter: Int
    /// Base counts per kernel position, (K, 4) in ACGT order.
    public var counts: [[Int]]
    /// Subsequences whose activation reached half the filter's maximum.
    public var sites: Int
    /// The AUC lost when the filter is zeroed (with labels), or the mean |Δp| (without).
    public var importance: Double
    /// The mean |Δp| over the sequences when the filter is zeroed.
    public var meanAbsoluteChange: Double
    /// 1 for the most important filter.
    public var rank: Int

    public init(filter: Int, counts: [[Int]], sites: Int, importance: Double, meanAbsoluteChange: Double, rank: Int) {
        (self.filter, self.counts, self.sites, self.importance) = (filter, counts, sites, importance)
        (self.meanAbsoluteChange, self.rank) = (meanAbsoluteChange, rank)
    }

    public var width: Int { counts.count }

    /// Frequencies per position; a position with no sites is uniform.
    public var frequencies: [[Double]] {
        counts.map { row in
            let total = row.reduce(0, +)
            return total == 0 ? [0.25, 0.25, 0.25, 0.25] : row.map { Double($0) / Double(total) }
        }
    }

    /// The most frequent base at each position (N where none was seen).
    public var consensus: String {
        String(counts.map { row -> Character in
            guard let top = row.max(), top > 0, let b = row.firstIndex(of: top) else { return "N" }
            return Array("ACGT")[b]
        })
    }

    /// Information content in bits against `background` (ACGT frequencies):
    /// Σ over positions and bases of f·log2(f / background).
    public func informationContent(background: [Double]) -> Double {
        var bits = 0.0
        for row in frequencies {
            for (f, q) in zip(row, background) where f > 0 && q > 0 { bits += f * log2(f / q) }
        }
        return bits
    }
}

extension Network {
    /// Motifs of the first layer's filters, by the DeepBind/Basset method: for each filter,
    /// every kernel-length subsequence (forward strand, ACGT only) whose activation is at least
    /// half the filter's maximum over `sequences` is a site, and the sites' bases make the
    /// position frequency matrix. Filters are ranked by how much zeroing each one (its kernel
    /// and bias) costs: the AUC drop with `labels`, else the mean |Δp| over the sequences.
    /// Filters whose maximum activation is not positive have no sites.
    ///
    /// Nil unless the first layer is a convolution.
    public func filterMotifs(sequences: [[UInt8]], labels: [Bool]?) -> [FilterMotif]? {
        guard case let .conv1d(filters, kernelSize, _, activation)? = layers.first,
              let ranges = weightRanges(layer: 0) else { return nil }
        let codes = sequences.map { $0.map { Nucleotide.code[Int($0)] } }
        // activation(f, s, t) of the valid positions t whose K bases are all ACGT.
        func activations(_ f: Int, _ s: [UInt8]) -> [(t: Int, value: Float)] {
            guard s.count >= kernelSize else { return [] }
            var starts: [Int] = [], values: [Float] = []
            for t in 0...(s.count - kernelSize) where s[t..<(t + kernelSize)].allSatisfy({ $0 < 4 }) {
                var z = parameters[ranges.bias.lowerBound + f]
                for k in 0..<kernelSize { z += parameters[ranges.kernel.lowerBound + (k * 4 + Int(s[t + k])) * filters + f] }
                starts.append(t)
                values.append(z)
            }
            values.withUnsafeMutableBufferPointer { activation.forward($0, rows: $0.count, width: 1) }
            return Array(zip(starts, values))
        }
        let oneHot = Nucleotide.oneHot(sequences)
        let baseline = predict(oneHot: oneHot, count: sequences.count)
        let baselineAUC = labels.flatMap { Metrics.rocAUC(scores: baseline, labels: $0) }
        var motifs: [FilterMotif] = []
        for f in 0..<filters {
            let perSequence = codes.map { activations(f, $0) }
            let maximum = perSequence.joined().map(\.value).max() ?? 0
            var counts = [[Int]](repeating: [0, 0, 0, 0], count: kernelSize)
            var sites = 0
            if maximum > 0 {
                for (s, values) in zip(codes, perSequence) {
                    for (t, value) in values where value >= maximum / 2 {
                        sites += 1
                        for k in 0..<kernelSize { counts[k][Int(s[t + k])] += 1 }
                    }
                }
            }
            var ablated = self
            for k in 0..<(kernelSize * 4) { ablated.parameters[ranges.kernel.lowerBound + k * filters + f] = 0 }
            ablated.parameters[ranges.bias.lowerBound + f] = 0
            let p = ablated.predict(oneHot: oneHot, count: sequences.count)
            let change = zip(p, baseline).reduce(0) { $0 + Double(abs($1.0 - $1.1)) } / Double(max(1, p.count))
            var importance = change
            if let labels, let baselineAUC, let auc = Metrics.rocAUC(scores: p, labels: labels) { importance = baselineAUC - auc }
            motifs.append(FilterMotif(filter: f, counts: counts, sites: sites, importance: importance,
                                      meanAbsoluteChange: change, rank: 0))
        }
        let order = motifs.indices.sorted { (motifs[$0].importance, motifs[$1].filter) > (motifs[$1].importance, motifs[$0].filter) }
        for (rank, index) in order.enumerated() { motifs[index].rank = rank + 1 }
        return order.map { motifs[$0] }
    }
}

extension Nucleotide {
    /// A, C, G and T frequencies over the ACGT bases of `sequences` (uniform if there are none).
    public static func frequencies(_ sequences: [[UInt8]]) -> [Double] {
        var counts = [0, 0, 0, 0]
        for s in sequences { for b in s where code[Int(b)] < 4 { counts[Int(code[Int(b)])] += 1 } }
        let total = counts.reduce(0, +)
        return total == 0 ? [0.25, 0.25, 0.25, 0.25] : counts.map { Double($0) / Double(total) }
    }
}
