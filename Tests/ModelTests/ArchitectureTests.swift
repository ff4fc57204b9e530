import Model
import Testing

@Suite struct ArchitectureTests {
    @Test func seedHasTheNotebooksParameterCount() throws {
        let network = try Architecture.seed.network()
        #expect(network.parameterCount == 6_209)
        #expect(network.shapes.map(\.description) == ["(50, 4)", "(39, 32)", "(9, 32)", "(1, 288)", "(1, 16)", "(1, 1)"])
    }

    @Test func deepMatchesKerasSummary() throws {
        // Keras's model.summary() for the same stack: Total params: 128,050.
        let network = try Architecture.deep.network()
        #expect(network.parameterCount == 128_050)
        #expect(network.shapes[1] == Shape(length: 50, channels: 32))  // 'same' padding keeps the length
        #expect(network.shapes[2] == Shape(length: 10, channels: 32))
        #expect(network.outputUnits == 2)
    }

    @Test func glorotInitialisationIsSeededAndBounded() throws {
        var a = try Architecture.seed.network(), b = a, c = a
        var r1 = MersenneTwister(seed: 3), r2 = MersenneTwister(seed: 3), r3 = MersenneTwister(seed: 4)
        a.initialise(random: &r1)
        b.initialise(random: &r2)
        c.initialise(random: &r3)
        #expect(a.parameters == b.parameters)
        #expect(a.parameters != c.parameters)
        let ranges = try #require(a.weightRanges(layer: 0))
        let limit = Float((6.0 / Double(12 * 4 + 12 * 32)).squareRoot())
        #expect(a.parameters[ranges.kernel].allSatisfy { abs($0) <= limit })
        #expect(a.parameters[ranges.bias].allSatisfy { $0 == 0 })
    }

    @Test func rejectsStacksThatDoNotFit() {
        #expect(throws: ModelError.self) {
            try Network(name: "x", inputLength: 10, layers: [.conv1d(filters: 2, kernelSize: 12, padding: .valid, activation: .linear),
                                                             .flatten, .dense(units: 1, activation: .sigmoid)])
        }
        #expect(throws: ModelError.self) {
            try Network(name: "x", inputLength: 10, layers: [.flatten, .dense(units: 3, activation: .relu)])
        }
    }

    @Test func padding() throws {
        // An all-ones kernel over one-hot input counts the bases each output position sees.
        var network = try Network(name: "x", inputLength: 5, layers: [
            .conv1d(filters: 1, kernelSize: 4, padding: .same, activation: .linear), .flatten,
            .dense(units: 1, activation: .sigmoid),
        ])
        let ranges = try #require(network.weightRanges(layer: 0))
        for i in ranges.kernel { network.parameters[i] = 1 }
        var workspace = Workspace(network: network, capacity: 1)
        workspace.input = Nucleotide.oneHot([Array("ACGTA".utf8)])
        var none: MersenneTwister? = nil
        network.forward(&workspace, batch: 1, random: &none)
        // Left pad (4 − 1) / 2 = 1, right pad 2: position t sees t − 1 … t + 2.
        #expect(network.probabilities(workspace, batch: 1).count == 1)
        let dense = try #require(network.weightRanges(layer: 2))
        for i in dense.kernel { network.parameters[i] = 0 }
        network.parameters[dense.kernel.lowerBound] = 1  // read out position 0 only
        network.forward(&workspace, batch: 1, random: &none)
        #expect(abs(network.probabilities(workspace, batch: 1)[0] - Activation.sigmoid(3)) < 1e-6)
        network.parameters[dense.kernel.lowerBound] = 0
        network.parameters[dense.kernel.lowerBound + 4] = 1  // position 4 sees 3, 4 and two pads
        network.forward(&workspace, batch: 1, random: &none)
        #expect(abs(network.probabilities(workspace, batch: 1)[0] - Activation.sigmoid(2)) < 1e-6)
    }

    /// Sizes a model file could give that would overflow or exhaust memory are refused
    /// before anything is multiplied (a filter count of 2⁶² used to trap).
    @Test func absurdSizesAreRefusedNotMultiplied() {
        let cases: [(Int, [Layer])] = [
            (50, [.conv1d(filters: 1 << 62, kernelSize: 12, padding: .valid, activation: .linear), .flatten,
                  .dense(units: 1, activation: .sigmoid)]),
            (50, [.flatten, .dense(units: Int.max, activation: .relu), .dense(units: 1, activation: .sigmoid)]),
            (50, [.conv1d(filters: 1_000_000, kernelSize: 40, padding: .same, activation: .linear), .flatten,
                  .dense(units: 1, activation: .sigmoid)]),
            (Int.max, [.flatten, .dense(units: 1, activation: .sigmoid)]),
            (50, [.maxPool1d(poolSize: -3), .flatten, .dense(units: 1, activation: .sigmoid)]),
        ]
        for (length, layers) in cases {
            #expect(throws: ModelError.self) { try Network(name: "x", inputLength: length, layers: layers) }
        }
        #expect((try? Architecture.deep.network()) != nil)
    }
}
