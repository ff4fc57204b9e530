import Model
import Significance

/// The kernel for the `seed` shape: Conv1D(valid, linear) → MaxPool → Flatten →
/// Dense(16, relu) → Dense(1, sigmoid), with a multiple of 16 filters.
///
/// It has two paths that share one scratch space per call:
/// - the reference path (this file) computes a window in one fixed order of Float
///   operations. Its values are the ones the scan writes, bit for bit, whatever the thread
///   count, chunk size or threshold.
/// - the fast path (`SeedWindowScorer+Fast.swift`) computes every window's logit with
///   lookup-table convolution and Swift matrix kernels per block, proves with a
///   worst-case rounding bound which windows lie below the threshold, and hands only the
///   others to the reference path.
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
    /// Conv positions a window covers: L − K + 1.
    let span: Int
    /// [tap][code 0–4][group]: the filter rows; code 4 (not ACGT) is zeros.
    let forwardTaps: [Vector]
    let reverseTaps: [Vector]
    let convBias: [Vector]
    /// The dense kernel as [slot][filter] rows of 16 units: Keras's flatten order.
    let dense1: [Vector]
    let dense1Bias: Vector
    let dense2: Vector
    let dense2Bias: Float
    /// The fast path's k-mer tables, dense kernel and error bound.
    let fast: FastPath

    /// Windows per block: the unit of the matrix products and of scratch space.
    static let block = 512

    /// 256 kbp: a few ms of scoring at step 1.
    var preferredChunkBases: Int { 1 << 18 }

    var logitErrorBound: Double? { fast.logitError }

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
        span = network.inputLength - kernelSize + 1
        slots = span / poolSize
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
        fast = FastPath(
            forwardTaps: forwardTaps, reverseTaps: reverseTaps, convBias: convBias, kernelSize: kernelSize, groups: groups,
            dense1Kernel: Array(w[d1.kernel]), dense1Bias: Array(w[d1.bias]), dense2Kernel: Array(w[d2.kernel]),
            dense2Bias: dense2Bias)
    }

    func score(
        codes: UnsafeBufferPointer<UInt8>, firstWindow: Int, step: Int, windows: Int, scorable: UnsafeBufferPointer<Bool>,
        strands: StrandChoice, precision: ScoringPrecision,
        forward: UnsafeMutableBufferPointer<Float>, reverse: UnsafeMutableBufferPointer<Float>,
        tally: UnsafeMutablePointer<UInt64>?
    ) {
        guard windows > 0, let codesBase = codes.baseAddress else { return }
        let scratch = Scratch(scorer: self, step: step)
        let cut = precision.threshold.map { fast.logitCut(threshold: $0) } ?? -.infinity
        let approximate = precision.approximateBelow, logits = precision.logits
        var w0 = 0
        while w0 < windows {
            let count = min(SeedWindowScorer.block, windows - w0)
            let first = firstWindow + w0 * step
            for reverseStrand in [false, true] where reverseStrand ? strands.scoresReverse : strands.scoresForward {
                let out = reverseStrand ? reverse : forward
                scratch.candidates.removeAll(keepingCapacity: true)
                if cut > -.infinity {
                    fastLogits(codes: codesBase + first, count: count, step: step, reverse: reverseStrand, scratch: scratch)
                    for i in 0..<count where scorable[w0 + i] {
                        let z = scratch.logits[i]
                        // `z < cut` proves the reference probability is below the threshold
                        // (FastPath.logitCut); NaN fails the test and goes to the reference path.
                        if z < cut {
                            out[w0 + i] = logits ? z : approximate ? Activation.sigmoid(z) : 0
                            if let tally { tally[LogitHistogram.bin(logit: Double(z))] &+= 1 }
                        } else {
                            scratch.candidates.append(i)
                        }
                    }
                } else {
                    for i in 0..<count where scorable[w0 + i] { scratch.candidates.append(i) }
                }
                scoreExactly(codes: codesBase + first, step: step, reverse: reverseStrand, scratch: scratch) { i, p in
                    out[w0 + i] = logits ? Float(ScoreBins.logit(p)) : p
                    if let tally { tally[LogitHistogram.bin(probability: p)] &+= 1 }
                }
            }
            w0 += count
        }
    }

    // MARK: - The reference path

    /// Scores `scratch.candidates` (block-relative windows, ascending, window i starting at
    /// `codes + i · step`) in the reference order. Candidates whose windows share conv
    /// positions are convolved together as one run.
    func scoreExactly(codes: UnsafePointer<UInt8>, step: Int, reverse: Bool, scratch: Scratch, write: (Int, Float) -> Void) {
        let candidates = scratch.candidates
        guard !candidates.isEmpty else { return }
        let lastConv = span - 1
        let taps = reverse ? scratch.reverseTaps : scratch.forwardTaps
        var k = 0
        while k < candidates.count {
            var last = k
            while last + 1 < candidates.count, (candidates[last + 1] - candidates[last]) * step < span { last += 1 }
            let runStart = candidates[k] * step
            let positions = candidates[last] * step - runStart + span
            scratch.require(.exactConv, positions * groups)
            convolve(codes: codes + runStart, positions: positions, taps: taps, bias: scratch.convBias, into: scratch.exactConv)
            slidingMax(scratch.exactConv, positions: positions - poolSize + 1, into: scratch.exactMaxima)
            let maxima = UnsafeRawPointer(scratch.exactMaxima).assumingMemoryBound(to: Float.self)
            // Slot 0's row of a run window, and the distance between slots.
            let (origin, stride) = reverse ? (lastConv - (poolSize - 1), -poolSize) : (0, poolSize)
            var c = k
            while c + 1 <= last {  // two windows at a time: independent chains, same order each
                let (p, q) = headPair(maxima, first: candidates[c] * step - runStart + origin,
                                      candidates[c + 1] * step - runStart + origin, stride: stride, dense1: scratch.dense1)
                write(candidates[c], p)
                write(candidates[c + 1], q)
                c += 2
            }
            if c == last {
                write(candidates[c], head(maxima, first: candidates[c] * step - runStart + origin, stride: stride, dense1: scratch.dense1))
            }
            k = last + 1
        }
    }

    /// conv[q][f] for q in 0 ..< positions, from `codes[q ..< q + K]`: the bias, then the
    /// taps in order. `conv` holds `positions · groups` vectors.
    func convolve(codes: UnsafePointer<UInt8>, positions: Int, taps: UnsafePointer<Vector>, bias: UnsafePointer<Vector>,
                  into conv: UnsafeMutablePointer<Vector>) {
        let g = groups
        var q = 0
        if g == 2 {
            // Two positions × two groups: four independent chains, each in the order below.
            while q + 1 < positions {
                var a0 = bias[0], a1 = bias[1], b0 = bias[0], b1 = bias[1]
                for k in 0..<kernelSize {
                    let x = (k * 5 + Int(codes[q + k])) * 2, y = (k * 5 + Int(codes[q + 1 + k])) * 2
                    a0 += taps[x]
                    a1 += taps[x + 1]
                    b0 += taps[y]
                    b1 += taps[y + 1]
                }
                conv[q * 2] = a0
                conv[q * 2 + 1] = a1
                conv[q * 2 + 2] = b0
                conv[q * 2 + 3] = b1
                q += 2
            }
        }
        while q < positions {
            for group in 0..<g {
                var accumulator = bias[group]
                for k in 0..<kernelSize {
                    accumulator += taps[(k * 5 + Int(codes[q + k])) * g + group]
                }
                conv[q * g + group] = accumulator
            }
            q += 1
        }
    }

    /// maxima[q] = max(conv[q … q + P − 1]), vector by vector.
    func slidingMax(_ conv: UnsafePointer<Vector>, positions: Int, into maxima: UnsafeMutablePointer<Vector>) {
        let g = groups
        for i in 0..<positions * g {
            var m = conv[i]
            for j in 1..<poolSize { m = SeedWindowScorer.larger(m, conv[i + j * g]) }
            maxima[i] = m
        }
    }

    /// `pointwiseMax(a, b)`, lane by lane `Float.maximum`: a where a > b or b is NaN, else b;
    /// written with masks because the generic `pointwiseMax` compiles to a scalar loop.
    @inline(__always)
    static func larger(_ a: Vector, _ b: Vector) -> Vector {
        b.replacing(with: a, where: (a .> b) .| (b .!= b))
    }

    /// Dense(16, relu) → Dense(1, sigmoid) over the pooled slots: slot p is the row of
    /// `maxima` at position `first + p · stride`. Units accumulate bias, then slot by slot,
    /// filter by filter, a product and a sum each.
    @inline(__always)
    func head(_ maxima: UnsafePointer<Float>, first: Int, stride: Int, dense1 w1: UnsafePointer<Vector>) -> Float {
        var accumulator = dense1Bias
        let f = filters
        for p in 0..<slots {
            let row = maxima + (first + p * stride) * f
            let weights = w1 + p * f
            for j in 0..<f { accumulator += Vector(repeating: row[j]) * weights[j] }
        }
        return output(accumulator)
    }

    /// `head` for two windows at once, each in exactly `head`'s order; the two accumulator
    /// chains interleave, which hides the add latency.
    @inline(__always)
    func headPair(_ maxima: UnsafePointer<Float>, first: Int, _ second: Int, stride: Int,
                  dense1 w1: UnsafePointer<Vector>) -> (Float, Float) {
        var a = dense1Bias, b = dense1Bias
        let f = filters
        for p in 0..<slots {
            let rowA = maxima + (first + p * stride) * f, rowB = maxima + (second + p * stride) * f
            let weights = w1 + p * f
            for j in 0..<f {
                let w = weights[j]
                a += Vector(repeating: rowA[j]) * w
                b += Vector(repeating: rowB[j]) * w
            }
        }
        return (output(a), output(b))
    }

    /// relu, then Dense(1, sigmoid).
    @inline(__always)
    func output(_ accumulator: Vector) -> Float {
        let hidden = accumulator.replacing(with: 0, where: accumulator .< 0)
        return Activation.sigmoid((hidden * dense2).sum() + dense2Bias)
    }
}
