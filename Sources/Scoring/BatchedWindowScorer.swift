import Model
import Significance

/// The scorer for every architecture the seed kernel does not take (`deep`, or any stack a
/// model file describes): the network's layers run on blocks of windows at once, the dense
/// layers and later convolutions as `MatrixKernels` products, instead of window by window
/// through `Network.predict`.
///
/// - The first layer, when it is a convolution, reads one-hot input: a position's value is
///   the bias plus one kernel row per tap (Conv1DKernel's sum, in its order), looked up, not
///   multiplied. Positions whose taps lie inside every window that holds them (all of them
///   for `valid` padding, the interior for `same`) are computed once per block and shared
///   by the overlapping windows; a window's edge positions under `same` padding read its own
///   bases, with the taps outside the window left out, as Keras pads.
/// - Dense layers are (windows × inputs) · (inputs × units) products, their units padded to
///   a multiple of 16 with zero weights (the padding stays out of every activation).
/// - A later convolution is an im2col product: (windows · positions × K·C) · (K·C × F).
/// - The − strand is the forward algorithm on the reverse complement of the chunk, so both
///   strands compute exactly what `Network.predict` is asked on the window's one-hot and on
///   its reverse complement.
///
/// Every window's value is computed by the same operations in the same order whatever block,
/// chunk or thread it falls in, so the output is byte-identical for any thread count and
/// chunk size. It differs from `Network.predict` only by the fused multiply-adds of the
/// products (within 1e-5 of it, `BatchedWindowScorerTests`).
struct BatchedWindowScorer: WindowScorer {
    let network: Network
    /// Windows per block: the rows of every product, a multiple of every tile height (6, 8 and 12).
    static let block = 96
    /// The first layer as lookup tables, when it is a convolution: [tap][code 0–4][filter],
    /// code 4 (not ACGT) all zeros; its bias; its geometry.
    let firstConv: FirstConvolution?
    /// The layers after the first convolution (or all of them), as batched steps.
    let steps: [Step]
    /// Floats per window of the widest activation (padded widths included).
    let widest: Int

    struct FirstConvolution: Sendable {
        let table: [Float]
        let bias: [Float]
        let kernelSize: Int, filters: Int, padLeft: Int, outputLength: Int
        let activation: Activation
    }

    /// One batched layer: what it reads and writes per window, in floats.
    enum Step: Sendable {
        /// `activation` on `rows` rows of `width` values, `stride` apart.
        case activation(Activation, rows: Int, width: Int, stride: Int)
        /// (length, channels) → (length / pool, channels).
        case maxPool(pool: Int, length: Int, channels: Int)
        /// (inputs) → (units padded to `stride`): kernel [inputs][stride], bias [stride].
        case dense(kernel: [Float], bias: [Float], inputs: Int, stride: Int)
        /// (length, channels) → (outputLength, filters) by im2col: kernel [K·C][stride].
        case convolution(kernel: [Float], bias: [Float], geometry: ConvolutionGeometry, stride: Int)
    }

    struct ConvolutionGeometry: Sendable {
        let length: Int, channels: Int, kernelSize: Int, filters: Int, padLeft: Int, outputLength: Int
    }

    init(network: Network) {
        self.network = network
        var steps: [Step] = []
        var first: FirstConvolution?
        var widest = network.shapes[0].count
        let w = network.parameters
        for (index, layer) in network.layers.enumerated() {
            let input = network.shapes[index], output = network.shapes[index + 1]
            widest = max(widest, output.count)
            switch layer {
            case let .conv1d(filters, kernelSize, padding, activation):
                guard let ranges = network.weightRanges(layer: index) else { continue }
                let padLeft = padding == .valid ? 0 : (kernelSize - 1) / 2
                if index == 0 {
                    // Keras's kernel [k][channel][filter]; the table adds a zero row for code 4.
                    var table = [Float](repeating: 0, count: kernelSize * 5 * filters)
                    for k in 0..<kernelSize {
                        for c in 0..<4 {
                            for f in 0..<filters { table[(k * 5 + c) * filters + f] = w[ranges.kernel.lowerBound + (k * 4 + c) * filters + f] }
                        }
                    }
                    first = FirstConvolution(table: table, bias: Array(w[ranges.bias]), kernelSize: kernelSize, filters: filters,
                                             padLeft: padLeft, outputLength: output.length, activation: activation)
                    continue
                }
                let stride = BatchedWindowScorer.padded(filters)
                let rows = kernelSize * input.channels
                var kernel = [Float](repeating: 0, count: rows * stride)
                for r in 0..<rows {
                    for f in 0..<filters { kernel[r * stride + f] = w[ranges.kernel.lowerBound + r * filters + f] }
                }
                let geometry = ConvolutionGeometry(length: input.length, channels: input.channels, kernelSize: kernelSize,
                                                   filters: filters, padLeft: padLeft, outputLength: output.length)
                steps.append(.convolution(kernel: kernel, bias: BatchedWindowScorer.paddedBias(w[ranges.bias], stride),
                                          geometry: geometry, stride: stride))
                widest = max(widest, output.length * stride, output.length * rows)
                steps.append(.activation(activation, rows: output.length, width: filters, stride: filters))
            case let .maxPool1d(pool):
                steps.append(.maxPool(pool: pool, length: input.length, channels: input.channels))
            case let .dense(units, activation):
                guard let ranges = network.weightRanges(layer: index) else { continue }
                let stride = BatchedWindowScorer.padded(units)
                let inputs = input.channels
                var kernel = [Float](repeating: 0, count: inputs * stride)
                for i in 0..<inputs {
                    for u in 0..<units { kernel[i * stride + u] = w[ranges.kernel.lowerBound + i * units + u] }
                }
                steps.append(.dense(kernel: kernel, bias: BatchedWindowScorer.paddedBias(w[ranges.bias], stride),
                                    inputs: inputs, stride: stride))
                widest = max(widest, stride)
                steps.append(.activation(activation, rows: 1, width: units, stride: stride))
            case .flatten, .dropout:
                continue  // the same floats, in the same order; dropout is the identity here
            }
        }
        firstConv = first
        self.steps = steps
        self.widest = widest
    }

    /// Every window gets the reference value.
    var logitErrorBound: Double? { nil }

    /// About 2³⁰ multiply-adds per strand and chunk (8 kbp for `deep`, tens of ms), at least
    /// 4 kbp and at most the seed shape's 256 kbp.
    var preferredChunkBases: Int {
        var cost = 1
        for (index, layer) in network.layers.enumerated() {
            let input = network.shapes[index], output = network.shapes[index + 1]
            switch layer {
            case let .conv1d(filters, kernelSize, _, _): cost += output.length * kernelSize * (index == 0 ? 1 : input.channels) * filters
            case let .dense(units, _): cost += input.channels * units
            default: break
            }
        }
        return min(1 << 18, max(1 << 12, (1 << 30) / cost))
    }

    static func padded(_ units: Int) -> Int { (units + 15) / 16 * 16 }

    static func paddedBias(_ bias: ArraySlice<Float>, _ stride: Int) -> [Float] {
        Array(bias) + [Float](repeating: 0, count: stride - bias.count)
    }

    func score(
        codes: UnsafeBufferPointer<UInt8>, firstWindow: Int, step: Int, windows: Int, scorable: UnsafeBufferPointer<Bool>,
        strands: StrandChoice, precision: ScoringPrecision,
        forward: UnsafeMutableBufferPointer<Float>, reverse: UnsafeMutableBufferPointer<Float>,
        tally: UnsafeMutablePointer<UInt64>?
    ) {
        let n = codes.count, length = network.inputLength
        guard windows > 0, n >= length else { return }
        // Every window gets its reference value here, so the tally reads the probabilities.
        defer {
            if let tally {
                for w in 0..<windows where scorable[w] {
                    if strands.scoresForward { tally[LogitHistogram.bin(probability: forward[w])] &+= 1 }
                    if strands.scoresReverse { tally[LogitHistogram.bin(probability: reverse[w])] &+= 1 }
                }
            }
            if precision.logits {
                for w in 0..<windows where scorable[w] {
                    if strands.scoresForward { forward[w] = Float(ScoreBins.logit(forward[w])) }
                    if strands.scoresReverse { reverse[w] = Float(ScoreBins.logit(reverse[w])) }
                }
            }
        }
        // The reverse complement of the chunk: window s on − is window n − L − s of it.
        var complement = [UInt8](repeating: 4, count: strands.scoresReverse ? n : 0)
        for i in complement.indices {
            let c = codes[n - 1 - i]
            complement[i] = c < 4 ? 3 - c : 4
        }
        var workspace = BlockWorkspace(scorer: self)
        var chosen: [Int] = []
        chosen.reserveCapacity(BatchedWindowScorer.block)
        complement.withUnsafeBufferPointer { complement in
            var w0 = 0
            while w0 < windows {
                let end = min(w0 + BatchedWindowScorer.block, windows)
                chosen.removeAll(keepingCapacity: true)
                for w in w0..<end where scorable[w] { chosen.append(firstWindow + w * step) }
                if !chosen.isEmpty {
                    if strands.scoresForward {
                        let p = workspace.probabilities(codes: codes, starts: chosen, scorer: self)
                        var k = 0
                        for w in w0..<end where scorable[w] {
                            forward[w] = p[k]
                            k += 1
                        }
                    }
                    if strands.scoresReverse {
                        // Ascending starts on the complement: the block's windows in reverse.
                        let starts = chosen.reversed().map { n - length - $0 }
                        let p = workspace.probabilities(codes: complement, starts: starts, scorer: self)
                        var k = starts.count - 1
                        for w in w0..<end where scorable[w] {
                            reverse[w] = p[k]
                            k -= 1
                        }
                    }
                }
                w0 = end
            }
        }
    }
}
