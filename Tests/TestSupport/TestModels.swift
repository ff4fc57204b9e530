import Model

/// Models with random weights that the scorer tests share.
public enum TestModels {
    /// The built-in model, and a seed-shaped model with random weights scaled up, whose
    /// logits are large and whose error bound is wide.
    public static func seedShapes() throws -> [(String, Network)] {
        let builtin = try Network.builtin()
        var random = MersenneTwister(seed: 77)
        var wide = try Network(name: "wide", inputLength: 50, layers: builtin.layers)
        wide.initialise(random: &random)
        wide.parameters = wide.parameters.map { $0 * 6 }
        // Other seed-shaped stacks: kernel 9 (tables of 4 + 4 + 1 taps), pool 2 and 21 slots
        // (Winograd with other strides), and kernel 10, pool 3, 13 slots (no Winograd at step 1).
        var others: [(String, Network)] = []
        for (kernel, pool, filters) in [(9, 2, 16), (10, 3, 32)] {
            var network = try Network(name: "k\(kernel)p\(pool)", inputLength: 50, layers: [
                .conv1d(filters: filters, kernelSize: kernel, padding: .valid, activation: .linear),
                .maxPool1d(poolSize: pool), .flatten, .dense(units: 16, activation: .relu), .dense(units: 1, activation: .sigmoid),
            ])
            network.initialise(random: &random)
            network.parameters = network.parameters.map { $0 * 3 }
            others.append(("kernel \(kernel), pool \(pool)", network))
        }
        // The `global` architecture (one pool over the whole window): the default width, a
        // width with a one-tap table (4 + 4 + 4 + 4 + 1 = 17) and 48 filters, and width 20.
        for (kernel, filters) in [(12, 32), (17, 48), (20, 16)] {
            var network = try Architecture.global.network(inputLength: 50, kernelSize: kernel, filters: filters)
            network.initialise(random: &random)
            network.parameters = network.parameters.map { $0 * 3 }
            others.append(("global, kernel \(kernel), \(filters) filters", network))
        }
        return [("built-in", builtin), ("random ×6", wide)] + others
    }

    /// Stacks the seed kernel does not take, with random weights (scaled up, so that the
    /// logits spread and rounding differences would show): the notebook's `deep`; `valid`
    /// padding with 20 filters (no multiple of 16) and a second convolution (the im2col
    /// path); `same` padding with an odd kernel and a sigmoid output; and a stack without
    /// any convolution (one-hot input straight into dense layers).
    public static func generalStacks() throws -> [(String, Network)] {
        var random = MersenneTwister(seed: 31)
        func make(_ name: String, _ layers: [Layer], scale: Float) throws -> Network {
            var network = try Network(name: name, inputLength: 50, layers: layers)
            network.initialise(random: &random)
            network.parameters = network.parameters.map { $0 * scale }
            return network
        }
        var deep = try Architecture.deep.network()
        deep.initialise(random: &random)
        // Keras's initial weights (zero biases) let the narrow relu layers die, and a dead
        // stack outputs a constant: positive biases and a wider scale keep every layer alive.
        deep.parameters = deep.parameters.map { $0 * 1.6 }
        for index in deep.layers.indices {
            guard let ranges = deep.weightRanges(layer: index) else { continue }
            for i in ranges.bias { deep.parameters[i] = Float(random.nextDouble() * 0.3) }
        }
        return [
            ("deep", deep),
            ("valid, two convolutions", try make("two-conv", [
                .conv1d(filters: 20, kernelSize: 8, padding: .valid, activation: .relu), .maxPool1d(poolSize: 3),
                .conv1d(filters: 24, kernelSize: 3, padding: .same, activation: .relu), .maxPool1d(poolSize: 2), .flatten,
                .dense(units: 40, activation: .relu), .dropout(rate: 0.3), .dense(units: 2, activation: .softmax),
            ], scale: 1)),
            ("same, odd kernel", try make("odd", [
                .conv1d(filters: 32, kernelSize: 9, padding: .same, activation: .linear), .maxPool1d(poolSize: 4), .flatten,
                .dense(units: 16, activation: .relu), .dense(units: 1, activation: .sigmoid),
            ], scale: 3)),
            ("no convolution", try make("mlp", [
                .flatten, .dense(units: 24, activation: .relu), .dense(units: 1, activation: .sigmoid),
            ], scale: 3)),
        ]
    }
}
