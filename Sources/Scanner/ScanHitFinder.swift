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
        var options = ScanOptions()
        options.threshold = threshold
        options.step = step
        let chunk = Chunk(chromosome: "", start: 0, bases: bases, isFirst: true)
        GenomeScan.score(chunk, scorer: scorer, options: options,
                         precision: ScoringPrecision(threshold: threshold, approximateBelow: false), windowLength: windowLength)
        var hits = [WindowHit]()
        for (k, window) in chunk.hits.enumerated() {
            let start = chunk.firstWindow + Int(window) * step
            if chunk.hitForward[k] >= threshold { hits.append(WindowHit(start: start, reverse: false, probability: chunk.hitForward[k])) }
            if chunk.hitReverse[k] >= threshold { hits.append(WindowHit(start: start, reverse: true, probability: chunk.hitReverse[k])) }
        }
        return hits
    }
}
