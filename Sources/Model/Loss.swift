import Foundation

/// The training losses, each averaged over the batch as Keras does.
public enum Loss: String, Sendable, Equatable, CaseIterable {
    /// Mean squared error, averaged over units and then over the batch (Keras `mse`).
    case mse
    /// Cross-entropy: binary for a sigmoid unit, categorical for a two-unit softmax on
    /// one-hot targets (the same quantity for two classes). Probabilities are clipped to
    /// [1e-7, 1 − 1e-7] as Keras's `epsilon()` does.
    case bce

    static let epsilon: Float = 1e-7

    /// The loss of predictions `p` against targets `y`, both (rows, width).
    public func value(_ p: UnsafeBufferPointer<Float>, _ y: UnsafeBufferPointer<Float>, rows: Int, width: Int) -> Double {
        var total = 0.0
        for i in 0..<rows * width {
            let pi = Double(p[i]), yi = Double(y[i])
            switch self {
            case .mse:
                total += (pi - yi) * (pi - yi) / Double(width)
            case .bce:
                let c = Double(min(max(p[i], Loss.epsilon), 1 - Loss.epsilon))
                total -= width == 1 ? yi * log(c) + (1 - yi) * log(1 - c) : yi * log(c)
            }
        }
        return total / Double(rows)
    }

    /// dL/dp for predictions `p` against targets `y`, written into `gradient`.
    public func gradient(
        _ p: UnsafeBufferPointer<Float>, _ y: UnsafeBufferPointer<Float>, rows: Int, width: Int,
        into gradient: UnsafeMutableBufferPointer<Float>
    ) {
        for i in 0..<rows * width {
            switch self {
            case .mse:
                gradient[i] = 2 * (p[i] - y[i]) / Float(rows * width)
            case .bce:
                let c = min(max(p[i], Loss.epsilon), 1 - Loss.epsilon)
                gradient[i] = (width == 1 ? (c - y[i]) / (c * (1 - c)) : -y[i] / c) / Float(rows)
            }
        }
    }

    /// Whether dL/dz through `activation` collapses to (p − y) / rows, which stays exact
    /// where the chained form loses precision to a saturated sigmoid or softmax.
    public func fusesWith(_ activation: Activation, width: Int) -> Bool {
        self == .bce && ((activation == .sigmoid && width == 1) || activation == .softmax)
    }
}
