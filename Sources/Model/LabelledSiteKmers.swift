/// The k-mers that the labelled positives share far beyond chance, which mining keeps out
/// of its negatives.
///
/// Background DNA holds real sites at the genome's rate, and a model that has learned the
/// site scores them as high as the labelled positives, so mining would label them 0. A
/// k-mer (k = the first convolution's width, the most one filter sees) that occurs in at
/// least `minimumShare` of the positives, and at least half as many as the most common one,
/// and at most a tenth as often in the negatives, is taken as (part of) the labelled site: by chance a given 12-mer is in about 2·10⁻⁶ of
/// 50-bp sequences. For a site that is a matrix rather than a word, no k-mer is that
/// common and nothing is excluded.
public struct LabelledSiteKmers: Sendable {
    public let length: Int
    /// 2-bit codes (A = 0 … T = 3), first base most significant.
    public let kmers: Set<UInt64>
    /// The share of the positives that hold one of `kmers`: near 1 when the labelled site is
    /// one word, small when it varies as sites sampled from a matrix do.
    public let coverage: Double

    public init(positives: [[UInt8]], negatives: [[UInt8]], length: Int, minimumShare: Double = 0.02) {
        let k = min(max(length, 1), 31)
        self.length = k
        func counts(_ sequences: [[UInt8]]) -> [UInt64: Int] {
            var counts = [UInt64: Int]()
            for sequence in sequences {
                var seen = Set<UInt64>()
                LabelledSiteKmers.forEachKmer(in: sequence, length: k) { seen.insert($0) }
                for kmer in seen { counts[kmer, default: 0] += 1 }
            }
            return counts
        }
        let positiveCounts = counts(positives), negativeCounts = counts(negatives)
        // At least half as common as the most common k-mer: a 12-bp site's own 12-mer is in
        // every positive, the 12-mers shifted one base off it (site plus one flank base) in a
        // quarter each, and those must stay minable, since they are what a one-mismatch copy
        // at the site's edge holds.
        let mostCommon = positiveCounts.values.max() ?? 0
        let needed = max(3, Int((minimumShare * Double(positives.count)).rounded(.up)), (mostCommon + 1) / 2)
        var common = Set<UInt64>()
        for (kmer, count) in positiveCounts where count >= needed {
            let positiveShare = Double(count) / Double(max(positives.count, 1))
            let negativeShare = Double(negativeCounts[kmer] ?? 0) / Double(max(negatives.count, 1))
            if negativeShare * 10 <= positiveShare { common.insert(kmer) }
        }
        kmers = common
        coverage = positives.isEmpty || common.isEmpty ? 0
            : Double(positives.count { sequence in
                var found = false
                LabelledSiteKmers.forEachKmer(in: sequence, length: k) { if common.contains($0) { found = true } }
                return found
            }) / Double(positives.count)
    }

    /// Whether `bases` holds one of the k-mers (ACGT only; a k-mer across another byte does not count).
    public func occurs(in bases: [UInt8]) -> Bool {
        guard !kmers.isEmpty else { return false }
        var found = false
        LabelledSiteKmers.forEachKmer(in: bases, length: length) { if kmers.contains($0) { found = true } }
        return found
    }

    static func forEachKmer(in bases: [UInt8], length: Int, _ body: (UInt64) -> Void) {
        let mask: UInt64 = length >= 32 ? ~0 : (1 << (2 * UInt64(length))) - 1
        var code: UInt64 = 0, valid = 0
        for byte in bases {
            let c = Nucleotide.code[Int(byte)]
            guard c < 4 else { valid = 0; code = 0; continue }
            code = ((code << 2) | UInt64(c)) & mask
            valid += 1
            if valid >= length { body(code) }
        }
    }
}
