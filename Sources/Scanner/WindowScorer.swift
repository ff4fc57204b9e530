import Model

/// Which strands a scan scores.
public enum StrandChoice: String, Sendable, CaseIterable {
    case both
    case forward = "+"
    case reverse = "-"

    public var scoresForward: Bool { self != .reverse }
    public var scoresReverse: Bool { self != .forward }
}

/// Scores every `step`-th window of a stretch of bases on one or both strands.
///
/// `codes` are `Nucleotide.code` values (0–3, 4 for anything else). Window `w` starts at
/// `firstWindow + w · step` (offsets into `codes`). The − strand probability of a window is
/// the model's output on its reverse complement. Probabilities are written to `forward`
/// and `reverse` (one per window); windows the caller marked unscorable are skipped.
protocol WindowScorer: Sendable {
    func score(
        codes: UnsafeBufferPointer<UInt8>, firstWindow: Int, step: Int, windows: Int, scorable: UnsafeBufferPointer<Bool>,
        strands: StrandChoice, forward: UnsafeMutableBufferPointer<Float>, reverse: UnsafeMutableBufferPointer<Float>
    )
}

/// The reference path for any architecture: builds each window's one-hot (and its reverse
/// complement's) and runs `Network.predict`, in batches.
struct GeneralWindowScorer: WindowScorer {
    let network: Network
    static let batch = 512

    func score(
        codes: UnsafeBufferPointer<UInt8>, firstWindow: Int, step: Int, windows: Int, scorable: UnsafeBufferPointer<Bool>,
        strands: StrandChoice, forward: UnsafeMutableBufferPointer<Float>, reverse: UnsafeMutableBufferPointer<Float>
    ) {
        let length = network.inputLength
        var start = 0
        while start < windows {
            let chosen = (start..<min(start + GeneralWindowScorer.batch, windows)).filter { scorable[$0] }
            start += GeneralWindowScorer.batch
            if chosen.isEmpty { continue }
            for reverseStrand in [false, true] where reverseStrand ? strands.scoresReverse : strands.scoresForward {
                var oneHot = [Float](repeating: 0, count: chosen.count * length * 4)
                for (row, w) in chosen.enumerated() {
                    let base = firstWindow + w * step
                    for j in 0..<length {
                        let c = reverseStrand ? codes[base + length - 1 - j] : codes[base + j]
                        if c < 4 { oneHot[(row * length + j) * 4 + Int(reverseStrand ? 3 - c : c)] = 1 }
                    }
                }
                let p = network.predict(oneHot: oneHot, count: chosen.count)
                for (row, w) in chosen.enumerated() {
                    if reverseStrand { reverse[w] = p[row] } else { forward[w] = p[row] }
                }
            }
        }
    }
}

/// The fast path for the `seed` shape: Conv1D(valid, linear) → MaxPool → Flatten →
/// Dense(relu) → Dense(1, sigmoid).
///
/// The convolution is computed once per position and shared by the overlapping windows;
/// the − strand uses the reverse-complemented filters over the same codes: the reverse
/// complement's conv position t of the window at s equals the flipped filter at forward
/// position s + (L − K) − t, so its pool slot p is the max over forward positions
/// s + L − K − P·p − (P − 1) … s + L − K − P·p.
struct SeedWindowScorer: WindowScorer {
    let inputLength: Int, kernelSize: Int, filters: Int, poolSize: Int, slots: Int, hidden: Int
    /// Per code (0–4) and tap: the filter row, as [tap][code][filter]; code 4 is zeros.
    let forwardTaps: [Float]
    let reverseTaps: [Float]
    let convBias: [Float]
    /// Dense kernel reordered to [slot][filter][unit], i.e. Keras's flatten order.
    let dense1: [Float]
    let dense1Bias: [Float]
    let dense2: [Float]
    let dense2Bias: Float

    /// Nil unless `network` has exactly the shape this kernel computes.
    init?(network: Network) {
        guard network.layers.count == 5,
              case let .conv1d(filters, kernelSize, .valid, .linear) = network.layers[0],
              case let .maxPool1d(poolSize) = network.layers[1],
              case .flatten = network.layers[2],
              case let .dense(hidden, .relu) = network.layers[3],
              case .dense(1, .sigmoid) = network.layers[4],
              let conv = network.weightRanges(layer: 0), let d1 = network.weightRanges(layer: 3),
              let d2 = network.weightRanges(layer: 4)
        else { return nil }
        self.inputLength = network.inputLength
        self.kernelSize = kernelSize
        self.filters = filters
        self.poolSize = poolSize
        self.slots = (network.inputLength - kernelSize + 1) / poolSize
        self.hidden = hidden
        let w = network.parameters
        var forwardTaps = [Float](repeating: 0, count: kernelSize * 5 * filters)
        var reverseTaps = forwardTaps
        for k in 0..<kernelSize {
            for c in 0..<4 {
                for f in 0..<filters {
                    let value = w[conv.kernel.lowerBound + (k * 4 + c) * filters + f]
                    forwardTaps[(k * 5 + c) * filters + f] = value
                    // Tap k of the flipped filter reads the complement base at tap K − 1 − k.
                    reverseTaps[((kernelSize - 1 - k) * 5 + (3 - c)) * filters + f] = value
                }
            }
        }
        self.forwardTaps = forwardTaps
        self.reverseTaps = reverseTaps
        convBias = Array(w[conv.bias])
        dense1 = Array(w[d1.kernel])
        dense1Bias = Array(w[d1.bias])
        dense2 = Array(w[d2.kernel])
        dense2Bias = w[d2.bias.lowerBound]
    }

    /// conv[q][f] for q in 0 ..< positions, from `codes[q ..< q + K]`.
    func convolve(codes: UnsafeBufferPointer<UInt8>, from first: Int, positions: Int, taps: [Float], into conv: UnsafeMutableBufferPointer<Float>) {
        let f = filters
        taps.withUnsafeBufferPointer { taps in
            convBias.withUnsafeBufferPointer { bias in
                for q in 0..<positions {
                    let out = q * f
                    for j in 0..<f { conv[out + j] = bias[j] }
                    for k in 0..<kernelSize {
                        let row = (k * 5 + Int(codes[first + q + k])) * f
                        for j in 0..<f { conv[out + j] += taps[row + j] }
                    }
                }
            }
        }
    }

    /// maxima[q][f] = max(conv[q … q + P − 1][f]).
    func slidingMax(_ conv: UnsafeBufferPointer<Float>, positions: Int, into maxima: UnsafeMutableBufferPointer<Float>) {
        let f = filters
        for q in 0..<positions {
            for j in 0..<f {
                var m = conv[q * f + j]
                for i in 1..<poolSize { m = max(m, conv[(q + i) * f + j]) }
                maxima[q * f + j] = m
            }
        }
    }

    /// Dense(relu) → Dense(1, sigmoid) on the pooled slots read from `maxima` at `slotOffsets`.
    func head(_ maxima: UnsafeBufferPointer<Float>, slotPositions: (Int) -> Int, hiddenScratch h: UnsafeMutableBufferPointer<Float>) -> Float {
        let f = filters, units = hidden
        dense1.withUnsafeBufferPointer { w1 in
            for u in 0..<units { h[u] = dense1Bias[u] }
            for p in 0..<slots {
                let row = slotPositions(p) * f
                for j in 0..<f {
                    let v = maxima[row + j]
                    let weights = (p * f + j) * units
                    for u in 0..<units { h[u] += v * w1[weights + u] }
                }
            }
        }
        var z = dense2Bias
        for u in 0..<units { z += max(h[u], 0) * dense2[u] }
        return Activation.sigmoid(z)
    }

    func score(
        codes: UnsafeBufferPointer<UInt8>, firstWindow: Int, step: Int, windows: Int, scorable: UnsafeBufferPointer<Bool>,
        strands: StrandChoice, forward: UnsafeMutableBufferPointer<Float>, reverse: UnsafeMutableBufferPointer<Float>
    ) {
        guard windows > 0 else { return }
        // Windows are scored in blocks so the shared conv values stay in cache.
        let block = max(1, 4096 / step)
        let span = (block - 1) * step + inputLength  // bases one block covers
        let positions = span - kernelSize + 1
        let conv = UnsafeMutableBufferPointer<Float>.allocate(capacity: positions * filters)
        let maxima = UnsafeMutableBufferPointer<Float>.allocate(capacity: positions * filters)
        let h = UnsafeMutableBufferPointer<Float>.allocate(capacity: hidden)
        defer {
            conv.deallocate()
            maxima.deallocate()
            h.deallocate()
        }
        let lastConv = inputLength - kernelSize  // the window's last conv position
        var w0 = 0
        while w0 < windows {
            let count = min(block, windows - w0)
            let first = firstWindow + w0 * step
            let used = (count - 1) * step + inputLength - kernelSize + 1
            for reverseStrand in [false, true] where reverseStrand ? strands.scoresReverse : strands.scoresForward {
                convolve(codes: codes, from: first, positions: used, taps: reverseStrand ? reverseTaps : forwardTaps, into: conv)
                slidingMax(UnsafeBufferPointer(conv), positions: used - poolSize + 1, into: maxima)
                for i in 0..<count where scorable[w0 + i] {
                    let s = i * step
                    if reverseStrand {
                        reverse[w0 + i] = head(UnsafeBufferPointer(maxima), slotPositions: { s + lastConv - poolSize * $0 - (poolSize - 1) }, hiddenScratch: h)
                    } else {
                        forward[w0 + i] = head(UnsafeBufferPointer(maxima), slotPositions: { s + poolSize * $0 }, hiddenScratch: h)
                    }
                }
            }
            w0 += count
        }
    }
}

/// The fast scorer when the architecture allows it, else the general one.
func makeWindowScorer(for network: Network) -> any WindowScorer {
    SeedWindowScorer(network: network) ?? GeneralWindowScorer(network: network)
}
