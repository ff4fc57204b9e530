/// Reading and writing the versioned JSON model file (`"format": "annotate-cnn"`).
///
/// Weights are in Keras layout, so `model.set_weights` takes them as they are: a conv
/// kernel nested `[kernel_size][in_channels][filters]`, a dense kernel `[inputs][units]`.
/// Each float is written as its shortest round-trip decimal, so a round trip is bit-exact.
extension Network {
    public static let fileFormat = "annotate-cnn"
    public static let fileVersion = 1

    /// The model file's text.
    public func modelFileText() throws(ModelError) -> String {
        var layerValues = [JSONValue]()
        for (index, layer) in layers.enumerated() {
            var members: [(key: String, value: JSONValue)] = [("type", .string(layer.typeName))]
            switch layer {
            case let .conv1d(filters, kernelSize, padding, activation):
                members += [("filters", .number(filters)), ("kernel_size", .number(kernelSize)),
                            ("padding", .string(padding.rawValue)), ("activation", .string(activation.rawValue))]
            case let .maxPool1d(poolSize):
                members += [("pool_size", .number(poolSize))]
            case .flatten:
                break
            case let .dense(units, activation):
                members += [("units", .number(units)), ("activation", .string(activation.rawValue))]
            case let .dropout(rate):
                members += [("rate", .number("\(rate)"))]
            }
            if let ranges = weightRanges(layer: index) {
                let values = parameters[ranges.kernel] + parameters[ranges.bias]
                guard values.allSatisfy(\.isFinite) else { throw .nonFiniteWeights(layer: index + 1) }
                members += [("kernel", Network.nested(parameters[ranges.kernel], shape: kernelShape(layer: index))),
                            ("bias", Network.nested(parameters[ranges.bias], shape: [ranges.bias.count]))]
            }
            layerValues.append(.object(members))
        }
        var document: [(key: String, value: JSONValue)] = [
            ("format", .string(Network.fileFormat)), ("version", .number(Network.fileVersion)),
            ("name", .string(name)), ("input_length", .number(inputLength)), ("alphabet", .string(alphabet)),
        ]
        if bestStrand { document.append(("strands", .string("best"))) }
        document.append(("layers", .array(layerValues)))
        if let training { document.append(("training", .object(training.fields))) }
        return JSONValue.object(document).serialized() + "\n"
    }

    /// Parses a model file; `path` only labels errors.
    public static func load(modelFile bytes: [UInt8], path: String) throws(ModelError) -> Network {
        let root: JSONValue
        do throws(JSONParser.Failure) {
            root = try JSONParser.parse(bytes)
        } catch {
            switch error {
            case let .truncated(offset):
                throw .truncatedModelFile(path: path, offset: offset)
            case let .malformed(offset, line, reason):
                throw .malformedModelFile(path: path, line: line, offset: offset, reason: reason)
            }
        }
        guard case .object = root else { throw .unsupportedModelFile(path: path, reason: "the top level is not a JSON object") }
        guard root["format"]?.stringValue == fileFormat else {
            throw .unsupportedModelFile(path: path, reason: "\"format\" is not \"\(fileFormat)\"")
        }
        guard let version = root["version"]?.intValue else {
            throw .unsupportedModelFile(path: path, reason: "no integer \"version\"")
        }
        guard version == fileVersion else {
            throw .unsupportedModelFile(path: path, reason: "version \(version); this annotate reads version \(fileVersion)")
        }
        func invalid(_ reason: String) -> ModelError { .invalidModelFile(path: path, reason: reason) }
        guard let inputLength = root["input_length"]?.intValue, inputLength > 0 else {
            throw invalid("\"input_length\" must be a positive integer")
        }
        guard root["alphabet"]?.stringValue == dnaAlphabet else { throw invalid("\"alphabet\" must be \"\(dnaAlphabet)\"") }
        guard let layerValues = root["layers"]?.arrayValue else { throw invalid("no \"layers\" list") }

        var layers = [Layer]()
        for (index, value) in layerValues.enumerated() {
            layers.append(try layer(from: value, number: index + 1, path: path))
        }
        var network: Network
        do {
            network = try Network(name: root["name"]?.stringValue ?? "model", inputLength: inputLength, layers: layers)
        } catch {
            throw invalid("\(error)")
        }
        for (index, value) in layerValues.enumerated() {
            guard let ranges = network.weightRanges(layer: index) else { continue }
            let label = "layer \(index + 1) (\(layers[index].typeName))"
            let kernel = try flatten(value["kernel"], shape: network.kernelShape(layer: index), label: "\(label) kernel", path: path)
            let bias = try flatten(value["bias"], shape: [ranges.bias.count], label: "\(label) bias", path: path)
            network.parameters.replaceSubrange(ranges.kernel, with: kernel)
            network.parameters.replaceSubrange(ranges.bias, with: bias)
        }
        if case let .object(fields)? = root["training"] { network.training = TrainingRecord(fields: fields) }
        switch root["strands"] {
        case nil: break
        case .string("best")?: network.bestStrand = true
        default: throw invalid("\"strands\" must be \"best\" when given")
        }
        return network
    }

    /// The Keras shape of layer `index`'s kernel: (K, C, F) for a convolution, (I, U) for dense.
    public func kernelShape(layer index: Int) -> [Int] {
        switch layers[index] {
        case let .conv1d(filters, kernelSize, _, _): [kernelSize, shapes[index].channels, filters]
        case let .dense(units, _): [shapes[index].channels, units]
        default: []
        }
    }

    private static func layer(from value: JSONValue, number: Int, path: String) throws(ModelError) -> Layer {
        func invalid(_ reason: String) -> ModelError {
            .invalidModelFile(path: path, reason: "layer \(number): \(reason)")
        }
        func positive(_ key: String) throws(ModelError) -> Int {
            guard let n = value[key]?.intValue, n > 0 else { throw invalid("\"\(key)\" must be a positive integer") }
            return n
        }
        func activation() throws(ModelError) -> Activation {
            guard let a = Activation(rawValue: value["activation"]?.stringValue ?? "linear") else {
                throw invalid("unknown activation; use one of \(Activation.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return a
        }
        switch value["type"]?.stringValue?.lowercased() {
        case "conv1d":
            guard let padding = Padding(rawValue: value["padding"]?.stringValue ?? "valid") else {
                throw invalid("\"padding\" must be \"valid\" or \"same\"")
            }
            return .conv1d(filters: try positive("filters"), kernelSize: try positive("kernel_size"),
                           padding: padding, activation: try activation())
        case "maxpool1d":
            return .maxPool1d(poolSize: try positive("pool_size"))
        case "flatten":
            return .flatten
        case "dense":
            return .dense(units: try positive("units"), activation: try activation())
        case "dropout":
            guard let rate = value["rate"]?.doubleValue, rate >= 0, rate < 1 else {
                throw invalid("\"rate\" must be in [0, 1)")
            }
            return .dropout(rate: Float(rate))
        case let other:
            throw invalid("unknown layer type \(other.map { "\"\($0)\"" } ?? "(missing)")")
        }
    }

    /// Flattens a nested array of numbers row-major, checking it has exactly `shape`.
    private static func flatten(_ value: JSONValue?, shape: [Int], label: String, path: String) throws(ModelError) -> [Float] {
        let expected = shape.map(String.init).joined(separator: "×")
        func invalid(_ reason: String) -> ModelError {
            .invalidModelFile(path: path, reason: "\(label) must be \(expected) numbers; \(reason)")
        }
        var out = [Float]()
        out.reserveCapacity(shape.reduce(1, *))
        func walk(_ value: JSONValue, _ dimension: Int) throws(ModelError) {
            if dimension == shape.count {
                guard case let .number(text) = value, let f = Float(text), f.isFinite else {
                    throw invalid("found a value that is not a finite number")
                }
                out.append(f)
                return
            }
            guard let items = value.arrayValue else { throw invalid("found a number where a list was expected at depth \(dimension + 1)") }
            guard items.count == shape[dimension] else {
                throw invalid("dimension \(dimension + 1) has \(items.count) entries")
            }
            for item in items { try walk(item, dimension + 1) }
        }
        guard let value else { throw invalid("it is missing") }
        try walk(value, 0)
        return out
    }

    private static func nested(_ values: ArraySlice<Float>, shape: [Int]) -> JSONValue {
        func build(_ start: Int, _ dimension: Int) -> JSONValue {
            if dimension == shape.count { return .number("\(values[values.startIndex + start])") }
            let stride = shape[(dimension + 1)...].reduce(1, *)
            return .array((0..<shape[dimension]).map { build(start + $0 * stride, dimension + 1) })
        }
        return build(0, 0)
    }
}
