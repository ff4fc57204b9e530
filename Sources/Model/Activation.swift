import Foundation

/// An element-wise (or, for softmax, row-wise) activation applied after a layer's affine map.
public enum Activation: String, Sendable, Equatable, CaseIterable {
    case linear
    case relu
    case sigmoid
    case softmax

    /// Applies the activation in place to `rows` rows of `width` values each (row-major).
    ///
    /// Softmax normalises each row; the others act on every value alone.
    public func forward(_ values: UnsafeMutableBufferPointer<Float>, rows: Int, width: Int) {
        switch self {
        case .linear:
            return
        case .relu:
            for i in 0..<rows * width where values[i] < 0 { values[i] = 0 }
        case .sigmoid:
            for i in 0..<rows * width { values[i] = Activation.sigmoid(values[i]) }
        case .softmax:
            for row in 0..<rows {
                let base = row * width
                var largest = -Float.infinity
                for j in 0..<width { largest = max(largest, values[base + j]) }
                var total: Float = 0
                for j in 0..<width {
                    let e = expf(values[base + j] - largest)
                    values[base + j] = e
                    total += e
                }
                for j in 0..<width { values[base + j] /= total }
            }
        }
    }

    /// Turns `gradient` (dL/dy) into dL/dz in place, given the activation's output `output` (y).
    ///
    /// Every derivative here is expressed through y alone, so the pre-activation need not be kept.
    public func backward(
        output: UnsafeBufferPointer<Float>, gradient: UnsafeMutableBufferPointer<Float>,
        rows: Int, width: Int
    ) {
        switch self {
        case .linear:
            return
        case .relu:
            for i in 0..<rows * width where output[i] <= 0 { gradient[i] = 0 }
        case .sigmoid:
            for i in 0..<rows * width { gradient[i] *= output[i] * (1 - output[i]) }
        case .softmax:
            // dz_j = y_j (dy_j − Σ_k y_k dy_k)
            for row in 0..<rows {
                let base = row * width
                var dot: Float = 0
                for k in 0..<width { dot += output[base + k] * gradient[base + k] }
                for j in 0..<width { gradient[base + j] = output[base + j] * (gradient[base + j] - dot) }
            }
        }
    }

    /// The logistic function, written so that it neither overflows nor loses the tails.
    @inline(__always)
    public static func sigmoid(_ z: Float) -> Float {
        if z >= 0 { return 1 / (1 + expf(-z)) }
        let e = expf(z)
        return e / (1 + e)
    }
}
