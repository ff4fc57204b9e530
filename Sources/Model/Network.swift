/// A sequential 1-D CNN over one-hot DNA: the layers, their weights, and how it was trained.
///
/// Input is one-hot (L, 4) in the order of `alphabet` ("ACGT"). The output is one
/// probability per sample: the sigmoid unit, or class 1 of a two-unit softmax.
/// Weights are one flat buffer; layer i owns `parameters[parameterOffsets[i] ..< parameterOffsets[i + 1]]`,
/// kernel first (Keras layout), then bias.
public struct Network: Sendable, Equatable {
    public var name: String
    public let inputLength: Int
    public let alphabet: String
    public let layers: [Layer]
    public var parameters: [Float]
    public var training: TrainingRecord?
    /// A sequence's probability is the larger of its two strands' (`predict`): the network
    /// reads one orientation of its site, and labelled sequences hold it either way. A scan
    /// scores each strand's windows on their own either way. Model files say it as
    /// `"strands": "best"`.
    public var bestStrand = false

    /// `shapes[0]` is the input; `shapes[i + 1]` is layer i's output, per sample.
    public let shapes: [Shape]
    public let parameterOffsets: [Int]

    public static let dnaAlphabet = "ACGT"

    /// Builds a network and checks that every layer fits its input and that the weights fit.
    ///
    /// Without `parameters` the weights are zero; `initialise(random:)` draws Keras's defaults.
    public init(
        name: String, inputLength: Int, layers: [Layer], parameters: [Float]? = nil,
        training: TrainingRecord? = nil
    ) throws(ModelError) {
        guard (1...Network.largestSize).contains(inputLength) else {
            throw .invalidArchitecture("input length \(inputLength) is not 1 to \(Network.largestSize)")
        }
        var shapes = [Shape(length: inputLength, channels: Network.dnaAlphabet.count)]
        var offsets = [0]
        for (index, layer) in layers.enumerated() {
            let name = "layer \(index + 1) (\(layer.typeName))"
            // Every size from a model file is checked before it is multiplied: a layer's
            // activations and weights must stay within `largestSize` values.
            guard layer.sizes.allSatisfy({ (1...Network.largestSize).contains($0) }) else {
                throw .invalidArchitecture("\(name) has a size that is not 1 to \(Network.largestSize)")
            }
            guard let next = layer.outputShape(input: shapes[index]) else {
                throw .invalidArchitecture("\(name) cannot take input of shape \(shapes[index])")
            }
            let input = shapes[index]
            let weights = Network.product([input.channels] + layer.sizes)
            guard let weights, let activations = Network.product([next.length, next.channels]),
                  weights <= Network.largestSize, activations <= Network.largestSize,
                  case let total = offsets[index] + layer.parameterCount(input: input), total <= Network.largestSize
            else { throw .invalidArchitecture("\(name) is too large: more than \(Network.largestSize) weights or values") }
            offsets.append(total)
            shapes.append(next)
        }
        switch layers.last {
        case .dense(1, .sigmoid), .dense(2, .softmax):
            break
        default:
            throw .invalidArchitecture("the last layer must be dense(1, sigmoid) or dense(2, softmax)")
        }
        let total = offsets[offsets.count - 1]
        if let parameters, parameters.count != total {
            throw .invalidArchitecture("\(parameters.count) weights given, the architecture needs \(total)")
        }
        self.name = name
        self.inputLength = inputLength
        self.alphabet = Network.dnaAlphabet
        self.layers = layers
        self.parameters = parameters ?? [Float](repeating: 0, count: total)
        self.training = training
        self.shapes = shapes
        self.parameterOffsets = offsets
    }

    public var parameterCount: Int { parameters.count }

    /// The most weights in all, or values in one layer's output, that a network may have:
    /// 2²⁶ (256 MB of Float), far above any model this tool trains, and low enough that no
    /// size computed from a model file can overflow.
    public static let largestSize = 1 << 26

    /// The product of `factors`, or nil if it overflows.
    static func product(_ factors: [Int]) -> Int? {
        var result = 1
        for factor in factors {
            let (value, overflow) = result.multipliedReportingOverflow(by: factor)
            if overflow { return nil }
            result = value
        }
        return result
    }

    /// Units in the last layer: 1 (sigmoid) or 2 (softmax).
    public var outputUnits: Int { shapes[shapes.count - 1].channels }

    /// The range of `parameters` holding layer `index`'s kernel, and then its bias.
    public func weightRanges(layer index: Int) -> (kernel: Range<Int>, bias: Range<Int>)? {
        let start = parameterOffsets[index], end = parameterOffsets[index + 1]
        let biasCount: Int
        switch layers[index] {
        case let .conv1d(filters, _, _, _): biasCount = filters
        case let .dense(units, _): biasCount = units
        default: return nil
        }
        return (start..<(end - biasCount), (end - biasCount)..<end)
    }

    /// Glorot-uniform kernels and zero biases, as Keras initialises `Conv1D` and `Dense`.
    ///
    /// Limit √(6 / (fanIn + fanOut)), with fanIn = K·C and fanOut = K·F for a convolution.
    /// Layers draw in order; each kernel value is `limit · (2u − 1)` for one `nextDouble()`.
    public mutating func initialise(random: inout MersenneTwister) {
        for index in layers.indices {
            guard let ranges = weightRanges(layer: index) else { continue }
            let input = shapes[index]
            let fanIn: Int, fanOut: Int
            switch layers[index] {
            case let .conv1d(filters, kernelSize, _, _):
                (fanIn, fanOut) = (kernelSize * input.channels, kernelSize * filters)
            case let .dense(units, _):
                (fanIn, fanOut) = (input.channels, units)
            default:
                continue
            }
            let limit = (6.0 / Double(fanIn + fanOut)).squareRoot()
            for i in ranges.kernel { parameters[i] = Float(limit * (2 * random.nextDouble() - 1)) }
            for i in ranges.bias { parameters[i] = 0 }
        }
    }
}

/// What a model file records about how its weights were made.
public struct TrainingRecord: Sendable, Equatable {
    /// Ordered key/value pairs, written into the model file's `training` object as they are.
    public var fields: [(key: String, value: JSONValue)]

    public init(fields: [(key: String, value: JSONValue)]) {
        self.fields = fields
    }

    public subscript(key: String) -> JSONValue? {
        fields.first { $0.key == key }?.value
    }

    public static func == (lhs: TrainingRecord, rhs: TrainingRecord) -> Bool {
        lhs.fields.map(\.key) == rhs.fields.map(\.key) && lhs.fields.map(\.value) == rhs.fields.map(\.value)
    }
}
