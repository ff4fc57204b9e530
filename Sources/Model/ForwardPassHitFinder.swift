/// The forward pass over every window, in batches: exact for any architecture, and much
/// slower than the scan's kernels.
public struct ForwardPassHitFinder: WindowHitFinding {
    public let network: Network

    public init(network: Network) {
        self.network = network
    }

    public func hits(in bases: [UInt8], step: Int, threshold: Float) -> [WindowHit] {
        let length = network.inputLength
        guard bases.count >= length, step > 0 else { return [] }
        let windows = (bases.count - length) / step + 1, batch = 256
        var hits = [WindowHit]()
        var start = 0
        while start < windows {
            let n = min(batch, windows - start)
            for reverse in [false, true] {
                var oneHot = [Float](repeating: 0, count: n * length * 4)
                for row in 0..<n {
                    let first = (start + row) * step
                    for j in 0..<length {
                        let c = Nucleotide.code[Int(reverse ? bases[first + length - 1 - j] : bases[first + j])]
                        if c < 4 { oneHot[(row * length + j) * 4 + Int(reverse ? 3 - c : c)] = 1 }
                    }
                }
                let p = network.predictWindows(oneHot: oneHot, count: n)
                for row in 0..<n where p[row] >= threshold {
                    hits.append(WindowHit(start: (start + row) * step, reverse: reverse, probability: p[row]))
                }
            }
            start += n
        }
        return hits
    }
}
