import Model

/// Hard-negative mining's hit finder on the scan's own kernels: the fast path proves most
/// windows below the threshold, and every hit's probability is the reference value that a
/// scan would write for that window. Windows with a base other than A, C, G or T are not
/// scored, as in a scan (generated background has none).
public struct ScanHitFinder: WindowHitFinding {
    let scorer: any WindowScorer
    let windowLength: Int

    public init(network: Network) {
        scorer = makeWindowScorer(for: network)
        windowLength = network.inputLength
    }

    public func hits(in bases: [UInt8], step: Int, threshold: Float) -> [WindowHit] {
        guard step > 0 else { return [] }
        let stretch = bases.withUnsafeBufferPointer { bases in
            ScoredStretch(bases: bases, geometry: WindowGeometry(length: windowLength, step: step), firstWindow: 0,
                          scorer: scorer, strands: .both, skipSoftMasked: false,
                          precision: ScoringPrecision(threshold: threshold, approximateBelow: false))
        }
        var hits = [WindowHit]()
        for w in 0..<stretch.windows where stretch.scorable[w] {
            let start = w * step
            if stretch.forward[w] >= threshold { hits.append(WindowHit(start: start, reverse: false, probability: stretch.forward[w])) }
            if stretch.reverse[w] >= threshold { hits.append(WindowHit(start: start, reverse: true, probability: stretch.reverse[w])) }
        }
        return hits
    }
}
