import Scoring
import Significance

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bases around one allele of a variant: every window of them overlaps the allele.
package struct Haplotype: Sendable {
    package var bases: [UInt8]
    /// The position of `bases[0]`, 0-based, in the haplotype's coordinates (the reference's,
    /// up to the variant).
    package let start: Int

    package init(bases: [UInt8], start: Int) {
        (self.bases, self.start) = (bases, start)
    }
}

/// Finds each haplotype's best window, with the reference kernel's value: a fast pass
/// scores every window of a batch of haplotypes (laid end to end, an N between them), and
/// the reference kernel then scores only the windows the fast values leave in the running
/// (a logit within twice the fast path's proven error of the best), so that a variant costs
/// about what its windows cost in a scan.
package struct HaplotypeScorer: Sendable {
    let scorer: any WindowScorer
    let windowLength: Int
    /// How far below the best fast logit a window may be and still be the best.
    let tolerance: Double

    package init(scorer: any WindowScorer, windowLength: Int) {
        self.scorer = scorer
        self.windowLength = windowLength
        tolerance = 2 * (scorer.logitErrorBound ?? 0) + 1e-3
    }

    /// The best window of each haplotype; nil where none of its windows can be scored.
    package func best(_ haplotypes: [Haplotype]) -> [BestWindow?] {
        best(haplotypes, queries: haplotypes.indices.map { ($0, 0..<max(0, haplotypes[$0].bases.count - windowLength + 1)) })
    }

    /// The best window of each query: windows (starts, as offsets into its bases) of one of
    /// `haplotypes`, which several queries may share (nearby variants' reference).
    func best(_ haplotypes: [Haplotype], queries: [(haplotype: Int, windows: Range<Int>)]) -> [BestWindow?] {
        let length = windowLength
        var bases: [UInt8] = [], offsets: [Int] = []
        bases.reserveCapacity(haplotypes.reduce(0) { $0 + $1.bases.count + 1 })
        for haplotype in haplotypes {
            offsets.append(bases.count)
            bases += haplotype.bases
            bases.append(UInt8(ascii: "N"))
        }
        let fast = stretch(bases, precision: ScoringPrecision(threshold: 2, approximateBelow: true))
        // The windows still in the running, as (query, window, strand), and their bases.
        var candidates: [(query: Int, window: Int, reverse: Bool)] = []
        var exactBases: [UInt8] = []
        for (q, query) in queries.enumerated() {
            let offset = offsets[query.haplotype]
            let windows = (offset + query.windows.lowerBound)..<(offset + query.windows.upperBound)
            var top = -Float.infinity
            for w in windows where fast.scorable[w] { top = max(top, fast.forward[w], fast.reverse[w]) }
            guard top > -.infinity else { continue }
            // The probability a logit `tolerance` below the best's: one cut for the whole query.
            let cut = Float(1 / (1 + exp(tolerance - ScoreBins.logit(top)))).nextDown
            for w in windows where fast.scorable[w] {
                let forward = fast.forward[w] >= cut
                let reverse = fast.reverse[w] >= cut
                guard forward || reverse else { continue }
                if forward { candidates.append((q, w - offset, false)) }
                if reverse { candidates.append((q, w - offset, true)) }
                exactBases += bases[w..<(w + length)]
                exactBases.append(UInt8(ascii: "N"))
            }
        }
        let exact = stretch(exactBases, precision: .exact)
        var best = [BestWindow?](repeating: nil, count: queries.count)
        var slot = 0, previous: (Int, Int)?
        for candidate in candidates {
            // Both strands of one window share its slot.
            if let previous, previous != (candidate.query, candidate.window) { slot += 1 }
            previous = (candidate.query, candidate.window)
            let w = slot * (length + 1)
            let probability = candidate.reverse ? exact.reverse[w] : exact.forward[w]
            let window = BestWindow(probability: probability, start: haplotypes[queries[candidate.query].haplotype].start + candidate.window,
                                    reverse: candidate.reverse)
            // The highest; on ties the first window, forward before reverse.
            if let current = best[candidate.query], !(probability > current.probability) { continue }
            best[candidate.query] = window
        }
        return best
    }

    private func stretch(_ bases: [UInt8], precision: ScoringPrecision) -> ScoredStretch {
        bases.withUnsafeBufferPointer { bases in
            ScoredStretch(bases: bases, geometry: WindowGeometry(length: windowLength, step: 1), firstWindow: 0, scorer: scorer,
                          strands: .both, skipSoftMasked: false, precision: precision)
        }
    }
}
