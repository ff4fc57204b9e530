/// The named layer stacks the reference notebook uses.
public enum Architecture: String, Sendable, CaseIterable {
    /// Conv1D(32, 12, valid) → MaxPool(4) → Flatten → Dense(16, relu) → Dense(1, sigmoid): 6,209 weights.
    case seed
    /// The notebook's modified model: Conv1D(32, 12, same) → MaxPool(5) → Flatten →
    /// Dense 256, 128, 64, 32 (relu, each followed by Dropout 0.2) → Dense 16, 16, 8, 8, 4, 4
    /// (relu) → Dense(2, softmax) on one-hot labels: 128,050 weights, as Keras's `summary()`.
    case deep

    public var layers: [Layer] {
        switch self {
        case .seed:
            return [
                .conv1d(filters: 32, kernelSize: 12, padding: .valid, activation: .linear),
                .maxPool1d(poolSize: 4),
                .flatten,
                .dense(units: 16, activation: .relu),
                .dense(units: 1, activation: .sigmoid),
            ]
        case .deep:
            var layers: [Layer] = [
                .conv1d(filters: 32, kernelSize: 12, padding: .same, activation: .linear),
                .maxPool1d(poolSize: 5),
                .flatten,
            ]
            for units in [256, 128, 64, 32] { layers += [.dense(units: units, activation: .relu), .dropout(rate: 0.2)] }
            for units in [16, 16, 8, 8, 4, 4] { layers.append(.dense(units: units, activation: .relu)) }
            layers.append(.dense(units: 2, activation: .softmax))
            return layers
        }
    }

    /// An untrained network of this architecture (zero weights) for `inputLength`-bp input.
    public func network(inputLength: Int = 50) throws(ModelError) -> Network {
        try Network(name: rawValue, inputLength: inputLength, layers: layers)
    }
}
