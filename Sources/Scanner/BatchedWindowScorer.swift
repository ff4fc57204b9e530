import Model

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
        forward: UnsafeMutableBufferPointer<Float>, reverse: UnsafeMutableBufferPointer<Float>
    ) {
        let n = codes.count, length = network.inputLength
        guard windows > 0, n >= length else { return }
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

/// Row operations over `count` floats, 16 lanes at a time: the inner loops of the
/// convolution, pooling and relu, which Swift's overflow-checked index arithmetic would
/// otherwise keep scalar.
private enum Rows {
    typealias Vector = SIMD16<Float>

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> Vector {
        UnsafeRawPointer(p).loadUnaligned(as: Vector.self)
    }

    @inline(__always) static func store(_ v: Vector, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vector.self)
    }

    /// dst[j] = src[j]
    @inline(__always) static func copy(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ count: Int) {
        dst.update(from: src, count: count)
    }

    /// dst[j] += src[j]
    @inline(__always) static func add(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ count: Int) {
        var j = 0
        while j &+ 16 <= count {
            store(load(dst + j) + load(src + j), dst + j)
            j &+= 16
        }
        while j < count {
            dst[j] += src[j]
            j &+= 1
        }
    }

    /// dst[j] = src[j] > dst[j] ? src[j] : dst[j] (MaxPool1DKernel's comparison).
    @inline(__always) static func max(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ count: Int) {
        var j = 0
        while j &+ 16 <= count {
            let v = load(src + j), m = load(dst + j)
            store(m.replacing(with: v, where: v .> m), dst + j)
            j &+= 16
        }
        while j < count {
            if src[j] > dst[j] { dst[j] = src[j] }
            j &+= 1
        }
    }

    /// v[j] = v[j] < 0 ? 0 : v[j] (Activation.relu: NaN stays NaN).
    @inline(__always) static func relu(_ v: UnsafeMutablePointer<Float>, _ count: Int) {
        var j = 0
        while j &+ 16 <= count {
            let x = load(v + j)
            store(x.replacing(with: 0, where: x .< 0), v + j)
            j &+= 16
        }
        while j < count {
            if v[j] < 0 { v[j] = 0 }
            j &+= 1
        }
    }
}

/// One `score` call's buffers: activations for a block, ping-ponged between layers, and the
/// first convolution's shared positions.
private struct BlockWorkspace {
    var current: [Float]
    var next: [Float]
    var shared: [Float]
    var columns: [Float] = []
    var result: [Float]

    init(scorer: BatchedWindowScorer) {
        let block = BatchedWindowScorer.block
        current = [Float](repeating: 0, count: block * scorer.widest)
        next = current
        shared = []
        result = [Float](repeating: 0, count: block)
    }

    /// The class-1 probability of each window (ascending `starts`, offsets into `codes`).
    mutating func probabilities(codes: UnsafeBufferPointer<UInt8>, starts: [Int], scorer: BatchedWindowScorer) -> [Float] {
        let network = scorer.network, count = starts.count
        var width: Int  // floats per window in `current`
        if let conv = scorer.firstConv {
            convolveFirst(conv, codes: codes, starts: starts, length: network.inputLength)
            width = conv.outputLength * conv.filters
            BlockWorkspace.activate(conv.activation, &current, windows: count, width: width, rows: conv.outputLength,
                                    rowWidth: conv.filters, rowStride: conv.filters)
        } else {
            width = network.inputLength * 4
            oneHot(codes: codes, starts: starts, length: network.inputLength)
        }
        for step in scorer.steps {
            switch step {
            case let .activation(activation, rows, rowWidth, rowStride):
                BlockWorkspace.activate(activation, &current, windows: count, width: width, rows: rows, rowWidth: rowWidth,
                                        rowStride: rowStride)
            case let .maxPool(pool, length, channels):
                let slots = length / pool
                current.withUnsafeBufferPointer { x in
                    next.withUnsafeMutableBufferPointer { y in
                        guard let x = x.baseAddress, let y = y.baseAddress else { return }
                        for window in 0..<count {
                            for t in 0..<slots {
                                // MaxPool1DKernel's order: the first value, then larger ones replace it.
                                let first = x + window * width + t * pool * channels, out = y + (window * slots + t) * channels
                                Rows.copy(first, out, channels)
                                for p in 1..<pool { Rows.max(first + p * channels, out, channels) }
                            }
                        }
                    }
                }
                width = slots * channels
                swap(&current, &next)
            case let .dense(kernel, bias, inputs, stride):
                BlockWorkspace.product(rows: count, a: current, lda: width, k: inputs, kernel: kernel, bias: bias, stride: stride,
                                       into: &next)
                width = stride
                swap(&current, &next)
            case let .convolution(kernel, bias, g, stride):
                // im2col: row (window, t) holds input positions t − padLeft … t − padLeft + K − 1.
                let rowLength = g.kernelSize * g.channels, rows = count * g.outputLength
                if columns.count < rows * rowLength { columns = [Float](repeating: 0, count: rows * rowLength) }
                current.withUnsafeBufferPointer { x in
                    columns.withUnsafeMutableBufferPointer { c in
                        for window in 0..<count {
                            for t in 0..<g.outputLength {
                                let row = (window * g.outputLength + t) * rowLength
                                for k in 0..<g.kernelSize {
                                    let position = t - g.padLeft + k
                                    for ch in 0..<g.channels {
                                        c[row + k * g.channels + ch] = position >= 0 && position < g.length
                                            ? x[window * width + position * g.channels + ch] : 0
                                    }
                                }
                            }
                        }
                    }
                }
                BlockWorkspace.product(rows: rows, a: columns, lda: rowLength, k: rowLength, kernel: kernel, bias: bias,
                                       stride: stride, into: &current)
                // Compact (rows × stride) to (rows × filters) per window.
                current.withUnsafeMutableBufferPointer { y in
                    for r in 0..<rows {
                        for f in 0..<g.filters { y[r * g.filters + f] = y[r * stride + f] }
                    }
                }
                width = g.outputLength * g.filters
            }
        }
        // The last layer: dense(1, sigmoid) or dense(2, softmax), `width` floats a window.
        let unit = network.outputUnits - 1
        for window in 0..<count { result[window] = current[window * width + unit] }
        return Array(result[0..<count])
    }

    /// C = bias + A·kernel for `rows` rows, into `output` (rows × stride).
    private static func product(rows: Int, a: [Float], lda: Int, k: Int, kernel: [Float], bias: [Float], stride: Int,
                                into output: inout [Float]) {
        if output.count < rows * stride { output = [Float](repeating: 0, count: rows * stride) }
        output.withUnsafeMutableBufferPointer { c in
            a.withUnsafeBufferPointer { a in
                kernel.withUnsafeBufferPointer { b in
                    bias.withUnsafeBufferPointer { bias in
                        guard let cBase = c.baseAddress, let aBase = a.baseAddress, let bBase = b.baseAddress else { return }
                        MatrixKernels.multiply(m: rows, n: stride, k: k, a: aBase, lda: lda, b: bBase, ldb: stride, c: cBase,
                                               ldc: stride, bias: bias.baseAddress)
                    }
                }
            }
        }
    }

    /// `activation` on each window's rows (`rowWidth` real values every `rowStride`).
    private static func activate(_ activation: Activation, _ values: inout [Float], windows: Int, width: Int, rows: Int,
                                 rowWidth: Int, rowStride: Int) {
        guard activation != .linear else { return }
        values.withUnsafeMutableBufferPointer { v in
            if activation == .relu, let base = v.baseAddress {
                for window in 0..<windows {
                    for r in 0..<rows { Rows.relu(base + window * width + r * rowStride, rowWidth) }
                }
                return
            }
            for window in 0..<windows {
                for r in 0..<rows {
                    let start = window * width + r * rowStride
                    activation.forward(UnsafeMutableBufferPointer(rebasing: v[start..<(start + rowWidth)]), rows: 1, width: rowWidth)
                }
            }
        }
    }

    /// The first convolution of every window into `current` (window-major (L′ × F) rows).
    private mutating func convolveFirst(_ conv: BatchedWindowScorer.FirstConvolution, codes: UnsafeBufferPointer<UInt8>,
                                        starts: [Int], length: Int) {
        let f = conv.filters, k = conv.kernelSize, width = conv.outputLength * f
        // Full-tap values by their first tap's position: bias + Σ_k table[k][code], for the
        // positions the windows' interiors cover (one stretch when windows overlap).
        let overlapping = starts.count > 1 && starts[starts.count - 1] - starts[0] < starts.count * length
        let low = starts[0], high = overlapping ? starts[starts.count - 1] + length : low + length
        if shared.count < (high - low) * f { shared = [Float](repeating: 0, count: (high - low) * f) }
        conv.table.withUnsafeBufferPointer { table in
            conv.bias.withUnsafeBufferPointer { bias in
                shared.withUnsafeMutableBufferPointer { g in
                    current.withUnsafeMutableBufferPointer { out in
                        /// out[0 ..< F] = bias + Σ taps[first ..< end] at input position `origin`.
                        guard let gBase = g.baseAddress, let outBase = out.baseAddress, let table = table.baseAddress,
                              let bias = bias.baseAddress else { return }
                        /// out[0 ..< F] = bias + Σ table[tap][code at origin + tap], 16 filters at a
                        /// time in registers when F allows.
                        @inline(__always) func position(_ origin: Int, taps: Range<Int>, into out: UnsafeMutablePointer<Float>) {
                            if f % 16 == 0 {
                                for group in stride(from: 0, to: f, by: 16) {
                                    var sum = Rows.load(bias + group)
                                    for tap in taps { sum += Rows.load(table + (tap * 5 + Int(codes[origin + tap])) * f + group) }
                                    Rows.store(sum, out + group)
                                }
                                return
                            }
                            Rows.copy(bias, out, f)
                            for tap in taps { Rows.add(table + (tap * 5 + Int(codes[origin + tap])) * f, out, f) }
                        }
                        if overlapping {
                            for q in low...(high - k) { position(q, taps: 0..<k, into: gBase + (q - low) * f) }
                        }
                        for (window, s) in starts.enumerated() {
                            let row = outBase + window * width
                            for t in 0..<conv.outputLength {
                                let origin = s + t - conv.padLeft
                                // Taps inside the window: input positions origin + tap in s ..< s + L.
                                let lo = max(0, s - origin), hi = min(k, s + length - origin)
                                if lo == 0 && hi == k && overlapping {
                                    Rows.copy(gBase + (origin - low) * f, row + t * f, f)
                                } else {
                                    position(origin, taps: lo..<max(lo, hi), into: row + t * f)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// One-hot windows into `current` ((L × 4) a window), for a stack that does not start
    /// with a convolution.
    private mutating func oneHot(codes: UnsafeBufferPointer<UInt8>, starts: [Int], length: Int) {
        current.withUnsafeMutableBufferPointer { out in
            for (window, s) in starts.enumerated() {
                for j in 0..<length {
                    for c in 0..<4 { out[(window * length + j) * 4 + c] = 0 }
                    let code = codes[s + j]
                    if code < 4 { out[(window * length + j) * 4 + Int(code)] = 1 }
                }
            }
        }
    }
}
