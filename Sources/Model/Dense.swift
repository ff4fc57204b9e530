/// The fully connected layer's forward and backward passes (Keras `Dense`).
///
/// Layout: input (B, I), kernel (I, U), bias (U), output (B, U), all row-major.
enum DenseKernel {
    /// out[b, :] = bias + Σ_i input[b, i] · kernel[i, :]
    static func forward(
        inputs: Int, units: Int, batch: Int,
        input: UnsafeBufferPointer<Float>, kernel: UnsafeBufferPointer<Float>,
        bias: UnsafeBufferPointer<Float>, output: UnsafeMutableBufferPointer<Float>
    ) {
        for b in 0..<batch {
            let y = b * units
            for u in 0..<units { output[y + u] = bias[u] }
            for i in 0..<inputs {
                let v = input[b * inputs + i]
                if v == 0 { continue }  // after ReLU many inputs are exactly zero
                let w = i * units
                for u in 0..<units { output[y + u] += v * kernel[w + u] }
            }
        }
    }

    /// Accumulates dKernel and dBias from dz (B, U), and writes dInput (B, I) if asked.
    static func backward(
        inputs: Int, units: Int, batch: Int,
        input: UnsafeBufferPointer<Float>, kernel: UnsafeBufferPointer<Float>,
        outputGradient dz: UnsafeBufferPointer<Float>,
        kernelGradient: UnsafeMutableBufferPointer<Float>, biasGradient: UnsafeMutableBufferPointer<Float>,
        inputGradient: UnsafeMutableBufferPointer<Float>?
    ) {
        for b in 0..<batch {
            let y = b * units
            for u in 0..<units { biasGradient[u] += dz[y + u] }
            for i in 0..<inputs {
                let w = i * units
                let v = input[b * inputs + i]
                if v != 0 {
                    for u in 0..<units { kernelGradient[w + u] += v * dz[y + u] }
                }
                if let dx = inputGradient {
                    var sum: Float = 0
                    for u in 0..<units { sum += kernel[w + u] * dz[y + u] }
                    dx[b * inputs + i] = sum
                }
            }
        }
    }
}
