import Model

/// Row operations over `count` floats, 16 lanes at a time: the inner loops of the
/// convolution, pooling and relu, which Swift's overflow-checked index arithmetic would
/// otherwise keep scalar.
enum Rows {
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
struct BlockWorkspace {
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
