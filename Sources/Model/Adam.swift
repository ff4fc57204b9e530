import Foundation

/// The Adam optimiser with Keras's defaults and update rule (Kingma & Ba 2015, with the
/// bias corrections folded into the step size and ε added to √v̂ as Keras does).
public struct Adam: Sendable {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    /// Decoupled weight decay (AdamW, Loshchilov & Hutter 2019): θ ← θ − lr · decay · θ each step.
    public var weightDecay: Float = 0
    private var step = 0
    private var firstMoment: [Float]
    private var secondMoment: [Float]

    public init(parameterCount: Int, learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        firstMoment = [Float](repeating: 0, count: parameterCount)
        secondMoment = firstMoment
    }

    /// One update: m ← m + (g − m)(1 − β₁), v ← v + (g² − v)(1 − β₂),
    /// θ ← θ − lr · √(1 − β₂ᵗ) / (1 − β₁ᵗ) · m / (√v + ε).
    public mutating func update(_ parameters: inout [Float], gradients: [Float]) {
        step += 1
        let t = Float(step)
        let stepSize = learningRate * (1 - powf(beta2, t)).squareRoot() / (1 - powf(beta1, t))
        let b1 = beta1, b2 = beta2, eps = epsilon, shrink = 1 - learningRate * weightDecay
        firstMoment.withUnsafeMutableBufferPointer { m in
            secondMoment.withUnsafeMutableBufferPointer { v in
                parameters.withUnsafeMutableBufferPointer { theta in
                    gradients.withUnsafeBufferPointer { g in
                        for i in 0..<theta.count {
                            if shrink != 1 { theta[i] *= shrink }
                            m[i] += (g[i] - m[i]) * (1 - b1)
                            v[i] += (g[i] * g[i] - v[i]) * (1 - b2)
                            theta[i] -= stepSize * m[i] / (v[i].squareRoot() + eps)
                        }
                    }
                }
            }
        }
    }
}
