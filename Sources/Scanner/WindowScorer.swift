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
/// Dense(16, relu) → Dense(1, sigmoid), with a multiple of 16 filters.
///
/// The convolution is computed once per position and shared by the overlapping windows;
/// the − strand uses the reverse-complemented filters over the same codes: the reverse
/// complement's conv position t of the window at s equals the flipped filter at forward
/// position s + (L − K) − t, so its pool slot p is the max over forward positions
/// s + L − K − P·p − (P − 1) … s + L − K − P·p. Vectors are 16 lanes (`SIMD16<Float>`),
/// one per group of 16 filters or the 16 hidden units.
struct SeedWindowScorer: WindowScorer {
    typealias Vector = SIMD16<Float>
    let inputLength: Int, kernelSize: Int, filters: Int, poolSize: Int, slots: Int
    /// Filter groups of 16.
    let groups: Int
    /// [tap][code 0–4][group]: the filter rows; code 4 (not ACGT) is zeros.
    let forwardTaps: [Vector]
    let reverseTaps: [Vector]
    let convBias: [Vector]
    /// The dense kernel as [slot][filter] rows of 16 units: Keras's flatten order.
    let dense1: [Vector]
    let dense1Bias: Vector
    let dense2: Vector
    let dense2Bias: Float

    /// Nil unless `network` has exactly the shape this kernel computes.
    init?(network: Network) {
        guard network.layers.count == 5,
              case let .conv1d(filters, kernelSize, .valid, .linear) = network.layers[0], filters % 16 == 0,
              case let .maxPool1d(poolSize) = network.layers[1],
              case .flatten = network.layers[2],
              case .dense(16, .relu) = network.layers[3],
              case .dense(1, .sigmoid) = network.layers[4],
              let conv = network.weightRanges(layer: 0), let d1 = network.weightRanges(layer: 3),
              let d2 = network.weightRanges(layer: 4)
        else { return nil }
        inputLength = network.inputLength
        self.kernelSize = kernelSize
        self.filters = filters
        self.poolSize = poolSize
        slots = (network.inputLength - kernelSize + 1) / poolSize
        groups = filters / 16
        let w = network.parameters
        func vector(_ start: Int) -> Vector { Vector((0..<16).map { w[start + $0] }) }
        var forwardTaps = [Vector](repeating: .zero, count: kernelSize * 5 * groups)
        var reverseTaps = forwardTaps
        for k in 0..<kernelSize {
            for c in 0..<4 {
                for g in 0..<groups {
                    let value = vector(conv.kernel.lowerBound + (k * 4 + c) * filters + g * 16)
                    forwardTaps[(k * 5 + c) * groups + g] = value
                    // Tap k of the flipped filter reads the complement base at tap K − 1 − k.
                    reverseTaps[((kernelSize - 1 - k) * 5 + (3 - c)) * groups + g] = value
                }
            }
        }
        self.forwardTaps = forwardTaps
        self.reverseTaps = reverseTaps
        convBias = (0..<groups).map { vector(conv.bias.lowerBound + $0 * 16) }
        dense1 = (0..<(slots * filters)).map { vector(d1.kernel.lowerBound + $0 * 16) }
        dense1Bias = vector(d1.bias.lowerBound)
        dense2 = vector(d2.kernel.lowerBound)
        dense2Bias = w[d2.bias.lowerBound]
    }

    /// conv[q][f] for q in 0 ..< positions, from `codes[first + q ..< first + q + K]`.
    /// `conv` holds `positions · groups` vectors.
    func convolve(codes: UnsafeBufferPointer<UInt8>, from first: Int, positions: Int,
                  taps: UnsafeBufferPointer<Vector>, bias: UnsafeBufferPointer<Vector>, into conv: UnsafeMutableBufferPointer<Vector>) {
        let g = groups
        for q in 0..<positions {
            for group in 0..<g {
                var accumulator = bias[group]
                for k in 0..<kernelSize {
                    accumulator += taps[(k * 5 + Int(codes[first + q + k])) * g + group]
                }
                conv[q * g + group] = accumulator
            }
        }
    }

    /// maxima[q] = max(conv[q … q + P − 1]), vector by vector.
    func slidingMax(_ conv: UnsafeBufferPointer<Vector>, positions: Int, into maxima: UnsafeMutableBufferPointer<Vector>) {
        let g = groups
        for i in 0..<positions * g {
            var m = conv[i]
            for j in 1..<poolSize { m = pointwiseMax(m, conv[i + j * g]) }
            maxima[i] = m
        }
    }

    /// Dense(16, relu) → Dense(1, sigmoid) over the pooled slots: slot p is the row of
    /// `maxima` at position `first + p · stride`.
    @inline(__always)
    func head(_ maxima: UnsafePointer<Float>, first: Int, stride: Int, dense1 w1: UnsafePointer<Vector>) -> Float {
        var accumulator = dense1Bias
        let f = filters
        for p in 0..<slots {
            let row = maxima + (first + p * stride) * f
            let weights = w1 + p * f
            for j in 0..<f { accumulator += Vector(repeating: row[j]) * weights[j] }
        }
        let hidden = accumulator.replacing(with: 0, where: accumulator .< 0)
        return Activation.sigmoid((hidden * dense2).sum() + dense2Bias)
    }

    func score(
        codes: UnsafeBufferPointer<UInt8>, firstWindow: Int, step: Int, windows: Int, scorable: UnsafeBufferPointer<Bool>,
        strands: StrandChoice, forward: UnsafeMutableBufferPointer<Float>, reverse: UnsafeMutableBufferPointer<Float>
    ) {
        guard windows > 0 else { return }
        // Windows are scored in blocks so the shared conv values stay in cache.
        let block = max(1, 2048 / step)
        let capacity = ((block - 1) * step + inputLength - kernelSize + 1) * groups
        let conv = UnsafeMutableBufferPointer<Vector>.allocate(capacity: capacity)
        let maxima = UnsafeMutableBufferPointer<Vector>.allocate(capacity: capacity)
        defer {
            conv.deallocate()
            maxima.deallocate()
        }
        let lastConv = inputLength - kernelSize  // the window's last conv position
        forwardTaps.withUnsafeBufferPointer { forwardTaps in
        reverseTaps.withUnsafeBufferPointer { reverseTaps in
        convBias.withUnsafeBufferPointer { bias in
        dense1.withUnsafeBufferPointer { w1 in
            guard let w1 = w1.baseAddress, let maximaBase = maxima.baseAddress else { return }
            let maximaFloats = UnsafeRawPointer(maximaBase).assumingMemoryBound(to: Float.self)
            var w0 = 0
            while w0 < windows {
                let count = min(block, windows - w0)
                let first = firstWindow + w0 * step
                let used = (count - 1) * step + lastConv + 1
                for reverseStrand in [false, true] where reverseStrand ? strands.scoresReverse : strands.scoresForward {
                    convolve(codes: codes, from: first, positions: used, taps: reverseStrand ? reverseTaps : forwardTaps,
                             bias: bias, into: conv)
                    slidingMax(UnsafeBufferPointer(conv), positions: used - poolSize + 1, into: maxima)
                    for i in 0..<count where scorable[w0 + i] {
                        let s = i * step
                        if reverseStrand {
                            reverse[w0 + i] = head(maximaFloats, first: s + lastConv - (poolSize - 1), stride: -poolSize, dense1: w1)
                        } else {
                            forward[w0 + i] = head(maximaFloats, first: s, stride: poolSize, dense1: w1)
                        }
                    }
                }
                w0 += count
            }
        }
        }
        }
        }
    }
}

/// The fast scorer when the architecture allows it, else the general one.
func makeWindowScorer(for network: Network) -> any WindowScorer {
    SeedWindowScorer(network: network) ?? GeneralWindowScorer(network: network)
}
