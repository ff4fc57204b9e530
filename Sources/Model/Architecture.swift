/// The named layer stacks: the reference notebook's two and annotate's position-invariant one.
public enum Architecture: String, Sendable, CaseIterable {
    /// Conv1D(32, 12, valid) → MaxPool(4) → Flatten → Dense(16, relu) → Dense(1, sigmoid): 6,209 weights.
    case seed
    /// The notebook's modified model: Conv1D(32, 12, same) → MaxPool(5) → Flatten →
    /// Dense 256, 128, 64, 32 (relu, each followed by Dropout 0.2) → Dense 16, 16, 8, 8, 4, 4
    /// (relu) → Dense(2, softmax) on one-hot labels: 128,050 weights, as Keras's `summary()`.
    case deep
    /// Conv1D(32, 12, valid) → a max over every position of the window (MaxPool with the pool
    /// as long as the convolution's output) → Flatten → Dense(16, relu) → Dense(1, sigmoid):
    /// 1,969 weights. It learns a site once, wherever it lies in the window, where `seed`'s
    /// position-specific dense layer must learn it at each of the pooled slots; every
    /// convolution output is pooled, so a site at the window's far end counts too.
    case global

    /// The layers for `inputLength`-bp input, with the first convolution's width and filter
    /// count given or the architecture's own (12 and 32).
    public func layers(inputLength: Int, kernelSize: Int? = nil, filters: Int? = nil) -> [Layer] {
        let k = kernelSize ?? 12, f = filters ?? 32
        switch self {
        case .seed:
            return [
                .conv1d(filters: f, kernelSize: k, padding: .valid, activation: .linear),
                .maxPool1d(poolSize: 4),
                .flatten,
                .dense(units: 16, activation: .relu),
                .dense(units: 1, activation: .sigmoid),
            ]
        case .deep:
            var layers: [Layer] = [
                .conv1d(filters: f, kernelSize: k, padding: .same, activation: .linear),
                .maxPool1d(poolSize: 5),
                .flatten,
            ]
            for units in [256, 128, 64, 32] { layers += [.dense(units: units, activation: .relu), .dropout(rate: 0.2)] }
            for units in [16, 16, 8, 8, 4, 4] { layers.append(.dense(units: units, activation: .relu)) }
            layers.append(.dense(units: 2, activation: .softmax))
            return layers
        case .global:
            return [
                .conv1d(filters: f, kernelSize: k, padding: .valid, activation: .linear),
                .maxPool1d(poolSize: max(inputLength - k + 1, 1)),
                .flatten,
                .dense(units: 16, activation: .relu),
                .dense(units: 1, activation: .sigmoid),
            ]
        }
    }

    /// Whether the scan's fast kernels score this stack (`SeedWindowScorer`): background
    /// windows and mining are then cheap enough to train with.
    public var hasFastScan: Bool { self != .deep }

    /// An untrained network of this architecture (zero weights) for `inputLength`-bp input.
    public func network(inputLength: Int = 50, kernelSize: Int? = nil, filters: Int? = nil) throws(ModelError) -> Network {
        try Network(name: rawValue, inputLength: inputLength,
                    layers: layers(inputLength: inputLength, kernelSize: kernelSize, filters: filters))
    }
}
