/// The 1-D convolution's forward and backward passes over a batch (Keras `Conv1D`, stride 1).
///
/// Layout: input (B, L, C), kernel (K, C, F), bias (F), output (B, L′, F), all row-major.
/// Position t of the output sees input positions t − padLeft … t − padLeft + K − 1;
/// positions outside 0 ..< L read as zero.
enum Conv1DKernel {
    struct Geometry {
        var inputLength: Int
        var channels: Int
        var filters: Int
        var kernelSize: Int
        var outputLength: Int
        var padLeft: Int

        init(input: Shape, filters: Int, kernelSize: Int, padding: Padding) {
            inputLength = input.length
            channels = input.channels
            self.filters = filters
            self.kernelSize = kernelSize
            outputLength = padding == .valid ? input.length - kernelSize + 1 : input.length
            padLeft = padding == .valid ? 0 : (kernelSize - 1) / 2
        }

        /// The kernel taps k whose input position t − padLeft + k lies inside the sequence.
        func taps(at t: Int) -> Range<Int> {
            let first = max(0, padLeft - t)
            let end = min(kernelSize, inputLength + padLeft - t)
            return first..<max(first, end)
        }
    }

    /// out (B, L′, F) = bias + Σ_k,c input[t − padLeft + k, c] · kernel[k, c, :]
    static func forward(
        _ g: Geometry, batch: Int,
        input: UnsafeBufferPointer<Float>, kernel: UnsafeBufferPointer<Float>,
        bias: UnsafeBufferPointer<Float>, output: UnsafeMutableBufferPointer<Float>
    ) {
        let f = g.filters, c = g.channels
        for b in 0..<batch {
            let x = b * g.inputLength * c
            for t in 0..<g.outputLength {
                let y = (b * g.outputLength + t) * f
                for j in 0..<f { output[y + j] = bias[j] }
                for k in g.taps(at: t) {
                    let row = x + (t - g.padLeft + k) * c
                    for ch in 0..<c {
                        let v = input[row + ch]
                        if v == 0 { continue }  // one-hot input is mostly zeros
                        let w = (k * c + ch) * f
                        for j in 0..<f { output[y + j] += v * kernel[w + j] }
                    }
                }
            }
        }
    }

    /// Accumulates dKernel and dBias from dz (B, L′, F), and writes dInput (B, L, C) if asked.
    static func backward(
        _ g: Geometry, batch: Int,
        input: UnsafeBufferPointer<Float>, kernel: UnsafeBufferPointer<Float>,
        outputGradient dz: UnsafeBufferPointer<Float>,
        kernelGradient: UnsafeMutableBufferPointer<Float>, biasGradient: UnsafeMutableBufferPointer<Float>,
        inputGradient: UnsafeMutableBufferPointer<Float>?
    ) {
        let f = g.filters, c = g.channels
        if let dx = inputGradient {
            for i in 0..<batch * g.inputLength * c { dx[i] = 0 }
        }
        for b in 0..<batch {
            let x = b * g.inputLength * c
            for t in 0..<g.outputLength {
                let y = (b * g.outputLength + t) * f
                for j in 0..<f { biasGradient[j] += dz[y + j] }
                for k in g.taps(at: t) {
                    let row = x + (t - g.padLeft + k) * c
                    for ch in 0..<c {
                        let w = (k * c + ch) * f
                        let v = input[row + ch]
                        if v != 0 {
                            for j in 0..<f { kernelGradient[w + j] += v * dz[y + j] }
                        }
                        if let dx = inputGradient {
                            var sum: Float = 0
                            for j in 0..<f { sum += kernel[w + j] * dz[y + j] }
                            dx[row + ch] += sum
                        }
                    }
                }
            }
        }
    }
}
