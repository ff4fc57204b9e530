import Model
import Scoring
import TestSupport
import Testing

/// The seed kernel's fast path proves most windows below the threshold and sends the rest
/// to the reference path; these tests check its values window by window against the
/// reference kernel and the general forward pass (`ScorerScanTests` checks whole scans).
@Suite struct FastPathTests {
    /// Each model's fast path against the general forward pass (a stack the fast kernel does
    /// not recognise), window by window, unrounded.
    @Test func everySeedShapeMatchesTheGeneralForwardPass() throws {
        let fasta = syntheticGenome(records: [3_000], seed: 21)
        let bases = Array(fasta.split(separator: "\n").dropFirst().joined().utf8)
        for (label, network) in try TestModels.seedShapes() {
            var layers = network.layers
            layers.insert(.dropout(rate: 0), at: 3)
            let general = try Network(name: network.name, inputLength: 50, layers: layers, parameters: network.parameters)
            #expect(makeWindowScorer(for: network).logitErrorBound != nil)
            for step in [1, 2, 50] {
                let fast = WindowProbe.probabilities(network, bases: bases, step: step, threshold: 0.5)
                let expected = WindowProbe.probabilities(general, bases: bases, step: step, threshold: 0.5)
                #expect(fast.count == expected.count)
                var largest: Float = 0
                for (p, q) in zip(fast, expected) where !(p.isNaN && q.isNaN) { largest = max(largest, abs(p - q)) }
                #expect(largest <= 2e-5, "\(label), step \(step): largest difference \(largest)")
            }
        }
    }

    /// The fast values of skipped windows are within the proven bound of the reference ones
    /// (σ′ ≤ 1/4), and the bound is tight enough to skip nearly every window of the built-in model.
    @Test func fastValuesStayWithinTheProvenBound() throws {
        let fasta = syntheticGenome(records: [8_000], seed: 5)
        let bases = Array(fasta.split(separator: "\n").dropFirst().joined().utf8)
        for (label, network) in try TestModels.seedShapes() {
            let bound = try #require(makeWindowScorer(for: network).logitErrorBound)
            let fast = WindowProbe.probabilities(network, bases: bases, threshold: 0.9)
            let reference = WindowProbe.probabilities(network, bases: bases, threshold: nil)
            #expect(fast.count == reference.count)
            var largest: Float = 0, skipped = 0
            for (p, q) in zip(fast, reference) where !q.isNaN {
                largest = max(largest, abs(p - q))
                if p != q { skipped += 1 }
                #expect(Double(abs(p - q)) <= bound / 4 + 1e-6)
                #expect((p >= 0.9) == (q >= 0.9))
            }
            print("\(label): logit error bound \(bound), largest fast − reference \(largest), \(skipped) of \(fast.count) differ")
            if label == "built-in" {
                // The scan issue's tolerance, and proof that skipping happens at all.
                #expect(largest <= 1e-5)
                #expect(bound < 0.2)
                #expect(skipped > fast.count / 2)
            }
        }
    }

    /// Weights so large that Float sums could overflow: the rounding analysis does not hold
    /// there, so the bound is infinite and every window goes through the reference path.
    @Test func weightsThatCouldOverflowGetNoBound() throws {
        let builtin = try Network.builtin()
        var huge = try Network(name: "huge", inputLength: 50, layers: builtin.layers, parameters: builtin.parameters)
        huge.parameters = huge.parameters.map { $0 * 1e16 }
        let bound = try #require(makeWindowScorer(for: huge).logitErrorBound)
        #expect(bound == .infinity)
        let fasta = syntheticGenome(records: [2_000], seed: 9)
        let bases = Array(fasta.split(separator: "\n").dropFirst().joined().utf8)
        // Every window gets the reference value, bit for bit, whatever the threshold.
        let reference = WindowProbe.probabilities(huge, bases: bases, threshold: nil)
        for threshold: Float in [0.5, 0.999] {
            let fast = WindowProbe.probabilities(huge, bases: bases, threshold: threshold)
            #expect(fast.map(\.bitPattern) == reference.map(\.bitPattern), "threshold \(threshold)")
        }
        // The built-in weights are far from it.
        #expect(try #require(makeWindowScorer(for: builtin).logitErrorBound) < 0.2)
    }

    @Test func theGeneralPathHasNoFastPath() throws {
        let network = try Network.builtin()
        var layers = network.layers
        layers.insert(.dropout(rate: 0), at: 3)
        let general = try Network(name: "seed", inputLength: 50, layers: layers, parameters: network.parameters)
        #expect(makeWindowScorer(for: general).logitErrorBound == nil)
    }
}
