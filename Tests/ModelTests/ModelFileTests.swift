import Model
import Testing

@Suite struct ModelFileTests {
    static func trainedLike(_ architecture: Architecture, seed: UInt32 = 5) throws -> Network {
        var network = try architecture.network()
        var random = MersenneTwister(seed: seed)
        network.initialise(random: &random)
        // Awkward values: a subnormal, negative zero, a huge value, and many significant digits.
        network.parameters[0] = Float.leastNonzeroMagnitude * 3  // subnormal
        network.parameters[1] = -0.0
        network.parameters[2] = 3.4e38
        network.parameters[3] = 0.1
        network.parameters[network.parameterCount - 1] = -1.2345678e-7
        network.training = TrainingRecord(fields: [("seed", .number(Int(seed))), ("recipe", .string("default"))])
        return network
    }

    @Test(arguments: Architecture.allCases)
    func roundTripIsBitExact(architecture: Architecture) throws {
        let network = try ModelFileTests.trainedLike(architecture)
        let text = try network.modelFileText()
        let loaded = try Network.load(modelFile: Array(text.utf8), path: "m.json")
        #expect(loaded.parameters.map(\.bitPattern) == network.parameters.map(\.bitPattern))
        #expect(loaded.layers == network.layers)
        #expect(loaded.training == network.training)
        #expect(try loaded.modelFileText() == text)
    }

    @Test func usesTheDocumentedSchemaAndKerasLayout() throws {
        let network = try ModelFileTests.trainedLike(.seed)
        let text = try network.modelFileText()
        #expect(text.hasPrefix("{\n  \"format\": \"annotate-cnn\",\n  \"version\": 1,\n  \"name\": \"seed\",\n  \"input_length\": 50,\n  \"alphabet\": \"ACGT\","))
        #expect(text.contains(#"{"type": "maxpool1d", "pool_size": 4}"#))
        #expect(text.contains(#"{"type": "flatten"}"#))
        #expect(text.contains(#""type": "dense", "units": 16, "activation": "relu", "kernel": [["#))
        // The conv kernel's first row is kernel[0][0][0 ..< 32]: filters vary fastest.
        let start = try #require(text.range(of: #""kernel": [[["#))
        let firstRow = text[start.upperBound...].prefix { $0 != "]" }
        #expect(firstRow.split(separator: ",").count == 32)
    }

    @Test func builtinModelLoadsAndIsTheDefaultRecipesArchitecture() throws {
        let network = try Network.builtin()
        #expect(network.name == "global")
        guard case let .conv1d(filters, kernelSize, _, _)? = network.layers.first else {
            Issue.record("the built-in model starts with \(String(describing: network.layers.first))")
            return
        }
        #expect(Recipe.default.kernelSizes.contains(kernelSize))
        #expect(network.layers == Architecture.global.layers(inputLength: 50, kernelSize: kernelSize, filters: filters))
        #expect(network.training?["recipe"] == .string("default"))
    }

    static func error(loading text: String) -> ModelError? {
        do {
            _ = try Network.load(modelFile: Array(text.utf8), path: "m.json")
            return nil
        } catch {
            return error
        }
    }

    @Test func wrongVersionIsNamed() throws {
        let text = try ModelFileTests.trainedLike(.seed).modelFileText().replacingOccurrences(of: "\"version\": 1", with: "\"version\": 2")
        let error = try #require(ModelFileTests.error(loading: text))
        #expect(error.description == "m.json: unsupported model file: version 2; this annotate reads version 1")
    }

    @Test func wrongFormatIsNamed() throws {
        let error = try #require(ModelFileTests.error(loading: #"{"format": "keras", "version": 1}"#))
        #expect(error.description.contains("\"format\" is not \"annotate-cnn\""))
    }

    @Test func wrongShapeIsNamed() throws {
        var network = try ModelFileTests.trainedLike(.seed)
        network.parameters[0] = 12345
        let text = try network.modelFileText().replacingOccurrences(of: "[[[12345.0, ", with: "[[[")
        let error = try #require(ModelFileTests.error(loading: text))
        #expect(error.description == "m.json: invalid model file: layer 1 (conv1d) kernel must be 12×4×32 numbers; dimension 3 has 31 entries")
    }

    @Test func truncatedFileIsNamed() throws {
        let text = try ModelFileTests.trainedLike(.seed).modelFileText()
        for cut in [1, 10, text.utf8.count / 2, text.utf8.count - 3] {
            let error = try #require(ModelFileTests.error(loading: String(text.prefix(cut))))
            #expect(error == .truncatedModelFile(path: "m.json", offset: cut), "cut at \(cut)")
        }
        #expect(ModelFileTests.error(loading: "")?.description.contains("truncated") == true)
    }

    @Test func malformedJSONGivesLineAndByte() throws {
        let error = try #require(ModelFileTests.error(loading: "{\n  \"format\": nope\n}"))
        #expect(error == .malformedModelFile(path: "m.json", line: 2, offset: 13, reason: "unexpected character 'n'") || error.description.contains("line 2"))
    }

    @Test func unknownLayerTypeIsNamed() throws {
        let text = try ModelFileTests.trainedLike(.seed).modelFileText().replacingOccurrences(of: "\"flatten\"", with: "\"lstm\"")
        let error = try #require(ModelFileTests.error(loading: text))
        #expect(error.description == "m.json: invalid model file: layer 3: unknown layer type \"lstm\"")
    }
}
