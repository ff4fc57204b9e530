/// How a convolution treats the sequence ends, as Keras's `padding` argument.
public enum Padding: String, Sendable, Equatable {
    /// No padding: the output has `length − kernelSize + 1` positions.
    case valid
    /// Zero padding so the output has `length` positions; for an even kernel the extra
    /// zero goes on the right (left pad `(kernelSize − 1) / 2`), as TensorFlow does.
    case same
}

/// The shape of one sample's activations: `length` positions × `channels` values, row-major.
public struct Shape: Sendable, Equatable, CustomStringConvertible {
    public var length: Int
    public var channels: Int

    public init(length: Int, channels: Int) {
        self.length = length
        self.channels = channels
    }

    public var count: Int { length * channels }
    public var description: String { "(\(length), \(channels))" }
}

/// One layer of a sequential network: what it is, without its weights.
///
/// Weights live in the network's flat parameter buffer; `parameterCount(input:)` says
/// how many each layer owns, kernel first, then bias.
public enum Layer: Sendable, Equatable {
    /// Conv1D: (L, C) → (L′, filters), kernel in Keras layout `[kernelSize][C][filters]`.
    case conv1d(filters: Int, kernelSize: Int, padding: Padding, activation: Activation)
    /// MaxPool1D with stride equal to the pool size: (L, C) → (⌊L / pool⌋, C), as Keras.
    case maxPool1d(poolSize: Int)
    /// Flatten: (L, C) → (1, L·C), row-major over (position, channel).
    case flatten
    /// Dense: (1, inputs) → (1, units), kernel in Keras layout `[inputs][units]`.
    case dense(units: Int, activation: Activation)
    /// Inverted dropout: in training each value is kept with probability 1 − rate and
    /// scaled by 1 / (1 − rate); at inference it is the identity.
    case dropout(rate: Float)

    /// The output shape for a given input shape, or nil if the layer cannot take it.
    public func outputShape(input: Shape) -> Shape? {
        switch self {
        case let .conv1d(filters, kernelSize, padding, _):
            let length = padding == .valid ? input.length - kernelSize + 1 : input.length
            return length > 0 && filters > 0 && kernelSize > 0
                ? Shape(length: length, channels: filters) : nil
        case let .maxPool1d(poolSize):
            let length = poolSize > 0 ? input.length / poolSize : 0
            return length > 0 ? Shape(length: length, channels: input.channels) : nil
        case .flatten:
            return Shape(length: 1, channels: input.count)
        case let .dense(units, _):
            return input.length == 1 && units > 0 ? Shape(length: 1, channels: units) : nil
        case let .dropout(rate):
            return rate >= 0 && rate < 1 ? input : nil
        }
    }

    /// The number of weights (kernel and bias) this layer owns for a given input shape.
    public func parameterCount(input: Shape) -> Int {
        switch self {
        case let .conv1d(filters, kernelSize, _, _):
            return kernelSize * input.channels * filters + filters
        case let .dense(units, _):
            return input.channels * units + units
        case .maxPool1d, .flatten, .dropout:
            return 0
        }
    }

    /// The sizes a model file gives this layer (filters and kernel, pool, units), each of
    /// which must be positive and not absurd (`Network.largestSize`); dropout and flatten have none.
    public var sizes: [Int] {
        switch self {
        case let .conv1d(filters, kernelSize, _, _): [kernelSize, filters]
        case let .maxPool1d(poolSize): [poolSize]
        case let .dense(units, _): [units]
        case .flatten, .dropout: []
        }
    }

    /// The Keras layer type name used in model files.
    public var typeName: String {
        switch self {
        case .conv1d: "conv1d"
        case .maxPool1d: "maxpool1d"
        case .flatten: "flatten"
        case .dense: "dense"
        case .dropout: "dropout"
        }
    }
}
