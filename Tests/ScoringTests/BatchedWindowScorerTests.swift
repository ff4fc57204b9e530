import Model
import Scoring
import TestSupport
import Testing

/// The batched scorer for every architecture other than the seed shape, against
/// `Network.predict` on each window's one-hot and on its reverse complement.
@Suite struct BatchedWindowScorerTests {
    /// Stacks the seed kernel does not take, with random weights (scaled up, so that the
    /// logits spread and rounding differences would show): the notebook's `deep`; `valid`
    /// padding with 20 filters (no multiple of 16) and a second convolution (the im2col
    /// path); `same` padding with an odd kernel and a sigmoid output; and a stack without
    /// any convolution (one-hot input straight into dense layers).
    static func networks() throws -> [(String, Network)] {
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

    /// Every window's probability on both strands within 1e-5 of `Network.predict`, for
    /// records whose window counts sit at the block's edges (95, 96, 97 windows and more),
    /// with N bases, at steps 1, 7 and 50.
    @Test(arguments: [1, 7, 50])
    func matchesThePredictPassOnBothStrands(step: Int) throws {
        for (label, network) in try TestModels.generalStacks() {
            #expect(makeWindowScorer(for: network).logitErrorBound == nil, "\(label) goes through the general scorer")
            var random = MersenneTwister(seed: UInt32(step))
            for windows in [1, 95, 96, 97, 300] {
                let length = 50 + (windows - 1) * step + (windows % 2 == 1 ? step - 1 : 0)
                var bases = (0..<length).map { _ in Array("ACGT".utf8)[random.nextInt(through: 3)] }
                if length > 200 { bases[137] = UInt8(ascii: "N") }
                let scored = WindowProbe.windows(network, bases: bases, step: step, threshold: 0.5)
                #expect(scored.count == (length - 50) / step + 1)
                let starts = scored.indices.map { $0 * step }
                let forward = network.predict(oneHot: Nucleotide.oneHot(starts.map { Array(bases[$0..<($0 + 50)]) }),
                                              count: starts.count)
                let reverse = network.predict(
                    oneHot: Nucleotide.oneHot(starts.map { ReverseComplement.of(Array(bases[$0..<($0 + 50)])) }), count: starts.count)
                var largest: Float = 0, compared = 0
                for (w, start) in starts.enumerated() {
                    if (start..<(start + 50)).contains(137) && length > 200 {
                        #expect(scored[w].forward.isNaN && scored[w].reverse.isNaN, "a window with N is not scored")
                        continue
                    }
                    largest = max(largest, abs(scored[w].forward - forward[w]), abs(scored[w].reverse - reverse[w]))
                    compared += 1
                }
                #expect(largest <= 1e-5, "\(label), \(windows) windows, step \(step): largest difference \(largest)")
                if windows == 300 { print("\(label), step \(step): largest difference from predict \(largest)") }
                #expect(compared > 0)
                if windows == 300 {
                    // The weights make the probabilities spread (a constant output would hide errors).
                    let spread = (forward.max() ?? 0) - (forward.min() ?? 0)
                    #expect(spread >= 0.05, "\(label): \(forward.min() ?? 0)…\(forward.max() ?? 0)")
                }
            }
        }
    }

    /// Work items are sized to the scoring cost: `deep` gets chunks small enough that a
    /// 200-kbp record is shared among many threads; the seed shape keeps 256 kbp.
    @Test func chunksAreSizedToTheModel() throws {
        let deep = try Architecture.deep.network()
        let deepChunk = makeWindowScorer(for: deep).preferredChunkBases
        #expect(deepChunk >= 4096 && deepChunk <= 16_384)
        #expect(makeWindowScorer(for: try Network.builtin()).preferredChunkBases == 1 << 18)
    }
}
