import Foundation

/// A motif found in labelled positives: expected base counts per position, as the EM's last
/// E-step left them.
public struct DiscoveredMotif: Sendable, Equatable {
    /// (width, 4) expected counts in ACGT order; each row sums to the positives that
    /// contributed a base there.
    public var counts: [[Double]]
    /// The OOPS log-likelihood (natural log) of the positives under the motif, against a
    /// uniform background.
    public var logLikelihood: Double

    public init(counts: [[Double]], logLikelihood: Double) {
        self.counts = counts
        self.logLikelihood = logLikelihood
    }

    public var width: Int { counts.count }

    /// Frequencies per position (uniform where nothing was counted).
    public var frequencies: [[Double]] {
        counts.map { row in
            let total = row.reduce(0, +)
            return total > 0 ? row.map { $0 / total } : [0.25, 0.25, 0.25, 0.25]
        }
    }

    /// Information content of each position in bits against a uniform background.
    public var informationContent: [Double] {
        frequencies.map { row in row.reduce(0) { $0 + ($1 > 0 ? $1 * log2($1 / 0.25) : 0) } }
    }

    /// Log-odds in bits, log2(q / 0.25) with q = (count + 0.01·n) / 1.04·n per position, n the
    /// position's total: the pseudocount JASPAR's and MEME's tools use for site scores.
    public var logOdds: [[Double]] {
        counts.map { row in
            let total = max(row.reduce(0, +), 1e-9)
            return row.map { log2((($0 + 0.01 * total) / (1.04 * total)) / 0.25) }
        }
    }

    /// The most frequent base at each position.
    public var consensus: String {
        String(frequencies.map { row in Array("ACGT")[row.indices.max { row[$0] < row[$1] } ?? 0] })
    }
}

/// De novo motif discovery by expectation maximisation, as MEME's OOPS model does (Bailey &
/// Elkan 1994): each positive holds one site, on either strand, at an unknown position;
/// the background is uniform. EM starts from the 6-mers most enriched in the positives
/// over the negatives, placed at several offsets of the motif's width; the start with the
/// highest likelihood wins. Nothing is random: the same sequences give the same motif.
///
/// Its width is chosen from the data: a first motif `widest` wide is found (the sequences
/// padded so that any site aligns in it), and the motif is the span from its first to its
/// last position carrying at least `spanBits` of information, refitted by EM from there.
/// The weak positions around a site's core decide how it ranks against the many chance
/// copies of the core in a genome, so everything above noise is kept; positions of noise
/// only blur the score, and a motif wider than its site loses sites near the ends of short
/// labelled sequences.
public struct MotifDiscovery: Sendable {
    public var widest = 24
    public var narrowest = 8
    /// Information (bits) above the noise of a uniform position estimated from hundreds of
    /// sites (0.01–0.02 bits).
    public var spanBits = 0.05
    /// k-mer length of the starting points, and how many of them.
    public var seedLength = 6
    public var seeds = 6
    /// EM iterations for every start, then for the best `finalists` starts to convergence.
    public var screeningIterations = 10
    public var finalists = 3
    public var maximumIterations = 200
    public var tolerance = 1e-7

    public init() {}

    /// The motif of `positives` (equal-length sequences, bytes), with `negatives` for the
    /// starting k-mers' enrichment; nil when the positives are too few or too short.
    public func discover(positives: [[UInt8]], negatives: [[UInt8]]) -> DiscoveredMotif? {
        let codes = positives.map { $0.map { Nucleotide.code[Int($0)] } }
        guard let length = codes.map(\.count).min(), length >= narrowest, codes.count >= 2 else { return nil }
        let starts = enrichedKmers(positives: positives, negatives: negatives)
        let width = min(widest, length)
        let padding = [UInt8](repeating: 4, count: (width - narrowest) / 2)
        guard !starts.isEmpty, let first = motif(codes.map { padding + $0 + padding }, width: width, starts: starts)
        else { return nil }
        let span = informativeSpan(first)
        guard span.count < first.width else { return first }
        return em(codes, frequencies: smoothed(Array(first.counts[span])), iterations: maximumIterations)
    }

    /// The positions of `motif` from the first to the last with at least `spanBits`, widened
    /// evenly to `narrowest`; all of them when none has.
    func informativeSpan(_ motif: DiscoveredMotif) -> Range<Int> {
        let bits = motif.informationContent
        guard var first = bits.firstIndex(where: { $0 >= spanBits }), var last = bits.lastIndex(where: { $0 >= spanBits })
        else { return 0..<motif.width }
        while last - first + 1 < min(narrowest, motif.width) {
            if first > 0 { first -= 1 }
            if last - first + 1 < narrowest, last < motif.width - 1 { last += 1 }
        }
        return first..<(last + 1)
    }

    /// The `seeds` k-mers (strands merged) in most positives beyond the negatives, as codes;
    /// ties go to the smaller code.
    func enrichedKmers(positives: [[UInt8]], negatives: [[UInt8]]) -> [[UInt8]] {
        let k = seedLength
        func canonicalSets(_ sequences: [[UInt8]]) -> [Int: Int] {
            var counts = [Int: Int]()
            for sequence in sequences {
                var seen = Set<Int>()
                LabelledSiteKmers.forEachKmer(in: sequence, length: k) {
                    let forward = Int($0)
                    var reverse = 0, rest = forward
                    for _ in 0..<k { reverse = reverse << 2 | (3 - rest & 3); rest >>= 2 }
                    seen.insert(min(forward, reverse))
                }
                for kmer in seen { counts[kmer, default: 0] += 1 }
            }
            return counts
        }
        let positive = canonicalSets(positives), negative = canonicalSets(negatives)
        let ranked = positive.map { (kmer: $0.key, score: $0.value - (negative[$0.key] ?? 0)) }
            .filter { $0.score > 0 }
            .sorted { $0.score != $1.score ? $0.score > $1.score : $0.kmer < $1.kmer }
        return ranked.prefix(seeds).map { entry in (0..<k).map { UInt8(entry.kmer >> (2 * (k - 1 - $0)) & 3) } }
    }

    /// The best EM fit at `width` over every start.
    func motif(_ codes: [[UInt8]], width: Int, starts: [[UInt8]]) -> DiscoveredMotif? {
        var screened = [DiscoveredMotif]()
        for kmer in starts where kmer.count <= width {
            let step = max(1, (width - kmer.count) / 4)
            for offset in stride(from: 0, through: width - kmer.count, by: step) {
                var start = [[Double]](repeating: [0.25, 0.25, 0.25, 0.25], count: width)
                for (j, base) in kmer.enumerated() {
                    start[offset + j] = [0.1, 0.1, 0.1, 0.1]
                    start[offset + j][Int(base)] = 0.7
                }
                screened.append(em(codes, frequencies: start, iterations: screeningIterations))
            }
        }
        // The best starts after screening run on to convergence; ties keep the earlier start.
        let order = screened.indices.sorted {
            screened[$0].logLikelihood != screened[$1].logLikelihood ? screened[$0].logLikelihood > screened[$1].logLikelihood : $0 < $1
        }
        var best: DiscoveredMotif?
        for index in order.prefix(finalists) {
            let fit = em(codes, frequencies: smoothed(screened[index].counts), iterations: maximumIterations)
            if fit.logLikelihood > best?.logLikelihood ?? -.infinity { best = fit }
        }
        return best
    }

    private func smoothed(_ counts: [[Double]]) -> [[Double]] {
        counts.map { row in
            let total = row.reduce(0, +) + 4e-3
            return row.map { ($0 + 1e-3) / total }
        }
    }

    /// OOPS EM from `frequencies` for at most `iterations` rounds (or until the likelihood
    /// gains less than `tolerance` of itself).
    func em(_ codes: [[UInt8]], frequencies start: [[Double]], iterations: Int) -> DiscoveredMotif {
        let width = start.count
        var p = start
        var counts = [[Double]](repeating: [0, 0, 0, 0], count: width)
        var previous = -Double.infinity, logLikelihood = -Double.infinity
        var forward = [Double](), reverse = [Double]()
        for _ in 0..<max(iterations, 1) {
            // lo[j * 5 + c]: log-odds of code c at position j; code 4 (not ACGT) is 0.
            var lo = [Double](repeating: 0, count: width * 5)
            for j in 0..<width { for c in 0..<4 { lo[j * 5 + c] = log(p[j][c] / 0.25) } }
            var next = [Double](repeating: 0, count: width * 4)
            logLikelihood = 0
            for sequence in codes where sequence.count >= width {
                let positions = sequence.count - width + 1
                forward.removeAll(keepingCapacity: true)
                reverse.removeAll(keepingCapacity: true)
                var top = -Double.infinity
                for s in 0..<positions {
                    var f = 0.0, r = 0.0
                    for j in 0..<width {
                        let c = Int(sequence[s + j])
                        f += lo[j * 5 + c]
                        let d = Int(sequence[s + width - 1 - j])
                        r += lo[j * 5 + (d < 4 ? 3 - d : 4)]
                    }
                    forward.append(f)
                    reverse.append(r)
                    top = max(top, f, r)
                }
                var total = 0.0
                for s in 0..<positions {
                    forward[s] = exp(forward[s] - top)
                    reverse[s] = exp(reverse[s] - top)
                    total += forward[s] + reverse[s]
                }
                logLikelihood += top + log(total) - log(Double(2 * positions))
                for s in 0..<positions {
                    let a = forward[s] / total, b = reverse[s] / total
                    for j in 0..<width {
                        let c = Int(sequence[s + j])
                        if c < 4 { next[j * 4 + c] += a }
                        let d = Int(sequence[s + width - 1 - j])
                        if d < 4 { next[j * 4 + 3 - d] += b }
                    }
                }
            }
            counts = (0..<width).map { j in Array(next[(j * 4)..<(j * 4 + 4)]) }
            p = smoothed(counts)
            if logLikelihood - previous < tolerance * abs(logLikelihood) { break }
            previous = logLikelihood
        }
        return DiscoveredMotif(counts: counts, logLikelihood: logLikelihood)
    }
}
