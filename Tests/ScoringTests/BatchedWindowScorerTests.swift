import Model
import Scoring
import TestSupport
import Testing

/// The batched scorer for every architecture other than the seed shape, against
/// `Network.predict` on each window's one-hot and on its reverse complement.
@Suite struct BatchedWindowScorerTests {
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
