import Dispatch

/// Per-layer buffers for running a network on batches of up to `capacity` samples.
///
/// `activations[0]` holds the input (B, L, 4); `activations[i + 1]` layer i's output.
/// `gradients[i]` has the same size as `activations[i]` and holds dL/d(activations[i])
/// during the backward pass. `masks[i]` is layer i's dropout mask (empty for other layers).
public struct Workspace: Sendable {
    public let capacity: Int
    var activations: [[Float]]
    var gradients: [[Float]]
    var masks: [[Float]]

    public init(network: Network, capacity: Int, training: Bool = false) {
        self.capacity = capacity
        activations = network.shapes.map { [Float](repeating: 0, count: $0.count * capacity) }
        gradients = training ? activations : []
        masks = network.layers.enumerated().map { index, layer in
            if training, case .dropout = layer {
                return [Float](repeating: 0, count: network.shapes[index].count * capacity)
            }
            return []
        }
    }

    /// The input buffer, (capacity, L, 4) one-hot.
    public var input: [Float] {
        get { activations[0] }
        set { activations[0] = newValue }
    }

    /// The network's output for the last batch, (B, units).
    public var output: [Float] { activations[activations.count - 1] }

    /// dL/d input (B, L, 4) from the last backward pass that asked for it.
    public var inputGradient: [Float] { gradients.first ?? [] }
}

extension Network {
    /// Runs every layer on the first `batch` samples of `workspace.input`.
    ///
    /// With `random`, dropout layers draw masks (training); without, they pass values through.
    public func forward(_ workspace: inout Workspace, batch: Int, random: inout MersenneTwister?) {
        forward(&workspace, batch: batch, random: &random, layers: layers.indices, activatingLast: true)
    }

    /// Runs `range`'s layers on the first `batch` samples of `workspace.activations[range.lowerBound]`;
    /// without `activatingLast`, the last layer of the range leaves its pre-activations.
    func forward(_ workspace: inout Workspace, batch: Int, random: inout MersenneTwister?, layers range: Range<Int>,
                 activatingLast: Bool) {
        precondition(batch <= workspace.capacity, "batch exceeds workspace capacity")
        parameters.withUnsafeBufferPointer { weights in
            for index in range {
                let input = shapes[index]
                let x = workspace.activations[index]
                workspace.activations[index + 1].withUnsafeMutableBufferPointer { y in
                    x.withUnsafeBufferPointer { x in
                        forwardLayer(index, input: input, batch: batch, x: x, y: y, weights: weights,
                                     mask: &workspace.masks[index], random: &random,
                                     activating: activatingLast || index != range.upperBound - 1)
                    }
                }
            }
        }
    }

    private func forwardLayer(
        _ index: Int, input: Shape, batch: Int,
        x: UnsafeBufferPointer<Float>, y: UnsafeMutableBufferPointer<Float>,
        weights: UnsafeBufferPointer<Float>, mask: inout [Float], random: inout MersenneTwister?, activating: Bool
    ) {
        let output = shapes[index + 1]
        switch layers[index] {
        case let .conv1d(filters, kernelSize, padding, activation):
            guard let ranges = weightRanges(layer: index) else { return }
            let g = Conv1DKernel.Geometry(input: input, filters: filters, kernelSize: kernelSize, padding: padding)
            Conv1DKernel.forward(g, batch: batch, input: x, kernel: .init(rebasing: weights[ranges.kernel]),
                                 bias: .init(rebasing: weights[ranges.bias]), output: y)
            if activating { activation.forward(y, rows: batch * output.length, width: output.channels) }
        case let .maxPool1d(poolSize):
            MaxPool1DKernel.forward(input: input, poolSize: poolSize, batch: batch, x, y)
        case .flatten:
            for i in 0..<batch * input.count { y[i] = x[i] }
        case let .dense(units, activation):
            guard let ranges = weightRanges(layer: index) else { return }
            DenseKernel.forward(inputs: input.channels, units: units, batch: batch, input: x,
                                kernel: .init(rebasing: weights[ranges.kernel]),
                                bias: .init(rebasing: weights[ranges.bias]), output: y)
            if activating { activation.forward(y, rows: batch, width: units) }
        case let .dropout(rate):
            let count = batch * input.count
            if random == nil || rate == 0 {
                for i in 0..<count { y[i] = x[i] }
            } else if var generator = random {
                mask.withUnsafeMutableBufferPointer { mask in
                    DropoutKernel.forward(rate: rate, count: count, random: &generator, x, y, mask: mask)
                }
                random = generator
            }
        }
    }

    /// Back-propagates `workspace.gradients.last` (dL/d output, (B, units)) through every
    /// layer and adds the weight gradients into `parameterGradients`.
    ///
    /// `skipLastActivation` treats the last gradient as dL/dz (pre-activation), which is how
    /// the fused cross-entropy gradient enters. Input gradients (dL/d one-hot) are written
    /// to `workspace.gradients[0]` only when `inputGradient` is true.
    public func backward(
        _ workspace: inout Workspace, batch: Int, parameterGradients: inout [Float],
        skipLastActivation: Bool = false, inputGradient: Bool = false
    ) {
        parameters.withUnsafeBufferPointer { weights in
            parameterGradients.withUnsafeMutableBufferPointer { grads in
                for index in layers.indices.reversed() {
                    let input = shapes[index], output = shapes[index + 1]
                    let wantsInputGradient = index > 0 || inputGradient
                    // Take the two gradient buffers out so they are uniquely referenced (no copy).
                    var dz = workspace.gradients[index + 1], dx = workspace.gradients[index]
                    workspace.gradients[index + 1] = []
                    workspace.gradients[index] = []
                    let x = workspace.activations[index], y = workspace.activations[index + 1]
                    let mask = workspace.masks[index]
                    x.withUnsafeBufferPointer { x in
                        y.withUnsafeBufferPointer { y in
                            dz.withUnsafeMutableBufferPointer { dz in
                                dx.withUnsafeMutableBufferPointer { dx in
                                    let activation: Activation? =
                                        switch layers[index] {
                                        case let .conv1d(_, _, _, a), let .dense(_, a): a
                                        default: nil
                                        }
                                    if let activation, !(skipLastActivation && index == layers.count - 1) {
                                        activation.backward(output: y, gradient: dz, rows: batch * output.length,
                                                            width: output.channels)
                                    }
                                    backwardLayer(index, input: input, batch: batch, x: x, y: y,
                                                  dz: UnsafeBufferPointer(dz), dx: wantsInputGradient ? dx : nil,
                                                  weights: weights, grads: grads, mask: mask)
                                }
                            }
                        }
                    }
                    workspace.gradients[index + 1] = dz
                    workspace.gradients[index] = dx
                }
            }
        }
    }

    private func backwardLayer(
        _ index: Int, input: Shape, batch: Int,
        x: UnsafeBufferPointer<Float>, y: UnsafeBufferPointer<Float>,
        dz: UnsafeBufferPointer<Float>, dx: UnsafeMutableBufferPointer<Float>?,
        weights: UnsafeBufferPointer<Float>, grads: UnsafeMutableBufferPointer<Float>, mask: [Float]
    ) {
        switch layers[index] {
        case let .conv1d(filters, kernelSize, padding, _):
            guard let ranges = weightRanges(layer: index) else { return }
            let g = Conv1DKernel.Geometry(input: input, filters: filters, kernelSize: kernelSize, padding: padding)
            Conv1DKernel.backward(g, batch: batch, input: x, kernel: .init(rebasing: weights[ranges.kernel]),
                                  outputGradient: dz, kernelGradient: .init(rebasing: grads[ranges.kernel]),
                                  biasGradient: .init(rebasing: grads[ranges.bias]), inputGradient: dx)
        case let .maxPool1d(poolSize):
            guard let dx else { return }
            MaxPool1DKernel.backward(input: input, poolSize: poolSize, batch: batch, x, y, dz, dx)
        case .flatten:
            guard let dx else { return }
            for i in 0..<batch * input.count { dx[i] = dz[i] }
        case let .dense(units, _):
            guard let ranges = weightRanges(layer: index) else { return }
            DenseKernel.backward(inputs: input.channels, units: units, batch: batch, input: x,
                                 kernel: .init(rebasing: weights[ranges.kernel]), outputGradient: dz,
                                 kernelGradient: .init(rebasing: grads[ranges.kernel]),
                                 biasGradient: .init(rebasing: grads[ranges.bias]), inputGradient: dx)
        case .dropout:
            guard let dx else { return }
            let count = batch * input.count
            if mask.isEmpty {
                for i in 0..<count { dx[i] = dz[i] }
            } else {
                mask.withUnsafeBufferPointer { DropoutKernel.backward(count: count, mask: $0, dz, dx) }
            }
        }
    }

    /// One training step's numbers for the first `batch` samples of `workspace.input`:
    /// runs the forward pass, returns the loss against `targets` (batch, units), and sets
    /// `parameterGradients` to dL/dθ (and `workspace.inputGradient` to dL/dx if asked).
    ///
    /// Cross-entropy after a sigmoid or softmax enters as the fused dL/dz = (p − y) / B.
    ///
    /// `rowWeights` (one per sample, or nil for all 1) scale each sample's loss and gradient.
    public func lossAndGradients(
        _ workspace: inout Workspace, batch: Int, targets: [Float], loss: Loss,
        random: inout MersenneTwister?, parameterGradients: inout [Float], inputGradient: Bool = false,
        rowWeights: [Float]? = nil
    ) -> Double {
        forward(&workspace, batch: batch, random: &random)
        let units = outputUnits, last = workspace.gradients.count - 1
        let lastActivation: Activation = if case let .dense(_, a)? = layers.last { a } else { .linear }
        let fused = loss.fusesWith(lastActivation, width: units)
        let output = workspace.activations[last]
        let value = output.withUnsafeBufferPointer { p in
            targets.withUnsafeBufferPointer { y in
                workspace.gradients[last].withUnsafeMutableBufferPointer { dp in
                    if fused {
                        for i in 0..<batch * units { dp[i] = (p[i] - y[i]) / Float(batch) }
                    } else {
                        loss.gradient(p, y, rows: batch, width: units, into: dp)
                    }
                    if let rowWeights {
                        for i in 0..<batch * units { dp[i] *= rowWeights[i / units] }
                    }
                }
                guard let rowWeights else { return loss.value(p, y, rows: batch, width: units) }
                var total = 0.0
                for row in 0..<batch {
                    let r = (row * units)..<((row + 1) * units)
                    total += Double(rowWeights[row]) * loss.value(.init(rebasing: p[r]), .init(rebasing: y[r]), rows: 1, width: units)
                }
                return total / Double(batch)
            }
        }
        for i in parameterGradients.indices { parameterGradients[i] = 0 }
        backward(&workspace, batch: batch, parameterGradients: &parameterGradients,
                 skipLastActivation: fused, inputGradient: inputGradient)
        return value
    }

    /// The class-1 probability of each sample in the last forward pass.
    public func probabilities(_ workspace: Workspace, batch: Int) -> [Float] {
        let units = outputUnits
        let output = workspace.output
        return (0..<batch).map { output[$0 * units + units - 1] }
    }

    /// Probabilities for `count` one-hot samples laid end to end, on `threads` threads: the
    /// samples cut into equal runs, each through `predict` on its own. The same values as one
    /// thread gives (a sample's arithmetic does not depend on its batch).
    public func predict(oneHot: [Float], count: Int, threads: Int) -> [Float] {
        let runs = max(1, min(threads, count / 256))
        guard runs > 1 else { return predict(oneHot: oneHot, count: count) }
        let sample = shapes[0].count, per = (count + runs - 1) / runs
        let parts = Locked([[Float]](repeating: [], count: runs))
        DispatchQueue.concurrentPerform(iterations: runs) { run in
            let first = run * per, end = min(count, first + per)
            guard first < end else { return }
            let scores = predict(oneHot: Array(oneHot[(first * sample)..<(end * sample)]), count: end - first)
            parts.withLock { $0[run] = scores }
        }
        return parts.withLock { $0.flatMap { $0 } }
    }

    /// Probabilities for `count` one-hot sequences laid end to end ((count, L, 4)), in
    /// batches: each sequence's own, or with `bestStrand` the larger of its and its reverse
    /// complement's.
    public func predict(oneHot: [Float], count: Int, batchSize: Int = 256) -> [Float] {
        let forward = predictWindows(oneHot: oneHot, count: count, batchSize: batchSize)
        guard bestStrand else { return forward }
        let reverse = predictWindows(oneHot: Network.reverseComplement(oneHot: oneHot, length: inputLength), count: count,
                                     batchSize: batchSize)
        return zip(forward, reverse).map { max($0, $1) }
    }

    /// The reverse complement of one-hot (count, L, 4) samples: rows reversed, ACGT → TGCA.
    static func reverseComplement(oneHot: [Float], length: Int) -> [Float] {
        var out = [Float](repeating: 0, count: oneHot.count)
        let sample = length * 4
        for start in stride(from: 0, to: oneHot.count, by: sample) {
            for j in 0..<length {
                for c in 0..<4 { out[start + (length - 1 - j) * 4 + 3 - c] = oneHot[start + j * 4 + c] }
            }
        }
        return out
    }

    /// Probabilities for `count` one-hot windows laid end to end ((count, L, 4)), in batches,
    /// each as given: what a scan gives a window on the strand it is read on.
    public func predictWindows(oneHot: [Float], count: Int, batchSize: Int = 256) -> [Float] {
        let sample = shapes[0].count
        precondition(oneHot.count == count * sample, "one-hot buffer does not hold \(count) samples")
        var workspace = Workspace(network: self, capacity: min(max(count, 1), batchSize))
        var result = [Float]()
        result.reserveCapacity(count)
        var noRandom: MersenneTwister? = nil
        var start = 0
        while start < count {
            let n = min(workspace.capacity, count - start)
            workspace.activations[0].withUnsafeMutableBufferPointer { input in
                for i in 0..<n * sample { input[i] = oneHot[start * sample + i] }
            }
            forward(&workspace, batch: n, random: &noRandom)
            result += probabilities(workspace, batch: n)
            start += n
        }
        return result
    }
}
