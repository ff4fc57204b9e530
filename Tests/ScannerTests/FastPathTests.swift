import Model
import Scanner
import TestSupport
import Testing

/// The seed kernel's fast path proves most windows below the threshold and sends the rest
/// to the reference path; these tests check that the proof never changes a written byte.
@Suite struct FastPathTests {
    /// The built-in model, and a seed-shaped model with random weights scaled up, whose
    /// logits are large and whose error bound is wide.
    static func models() throws -> [(String, Network)] {
        let builtin = try Network.builtin()
        var random = MersenneTwister(seed: 77)
        var wide = try Network(name: "wide", inputLength: 50, layers: builtin.layers)
        wide.initialise(random: &random)
        wide.parameters = wide.parameters.map { $0 * 6 }
        // Other seed-shaped stacks: kernel 9 (tables of 4 + 4 + 1 taps), pool 2 and 21 slots
        // (Winograd with other strides), and kernel 10, pool 3, 13 slots (no Winograd at step 1).
        var others: [(String, Network)] = []
        for (kernel, pool, filters) in [(9, 2, 16), (10, 3, 32)] {
            var network = try Network(name: "k\(kernel)p\(pool)", inputLength: 50, layers: [
                .conv1d(filters: filters, kernelSize: kernel, padding: .valid, activation: .linear),
                .maxPool1d(poolSize: pool), .flatten, .dense(units: 16, activation: .relu), .dense(units: 1, activation: .sigmoid),
            ])
            network.initialise(random: &random)
            network.parameters = network.parameters.map { $0 * 3 }
            others.append(("kernel \(kernel), pool \(pool)", network))
        }
        return [("built-in", builtin), ("random ×6", wide)] + others
    }

    /// Each model's fast path against the general forward pass (a stack the fast kernel does
    /// not recognise), window by window, unrounded.
    @Test func everySeedShapeMatchesTheGeneralForwardPass() throws {
        let fasta = syntheticGenome(records: [3_000], seed: 21)
        let bases = Array(fasta.split(separator: "\n").dropFirst().joined().utf8)
        for (label, network) in try FastPathTests.models() {
            var layers = network.layers
            layers.insert(.dropout(rate: 0), at: 3)
            let general = try Network(name: network.name, inputLength: 50, layers: layers, parameters: network.parameters)
            #expect(GenomeScan(network: network, scoring: ScoringOptions()).fastPathLogitErrorBound != nil)
            for step in [1, 2, 50] {
                var options = ScanSettings()
                options.scoring.step = step
                options.output.threshold = 0.5
                let fast = try ScanProbe.probabilities(network: network, bases: bases, options: options)
                let expected = try ScanProbe.probabilities(network: general, bases: bases, options: options)
                #expect(fast.count == expected.count)
                var largest: Float = 0
                for (p, q) in zip(fast, expected) where !(p.isNaN && q.isNaN) { largest = max(largest, abs(p - q)) }
                #expect(largest <= 2e-5, "\(label), step \(step): largest difference \(largest)")
            }
        }
    }

    @Test(arguments: [1, 3, 50, 61])
    func skippingNeverChangesTheOutput(step: Int) throws {
        let fasta = syntheticGenome(records: [6_000, 300, 51], seed: 12, width: 61)
        for (label, network) in try FastPathTests.models() {
            for format in [OutputFormat.bed, .narrowpeak] {
                for threshold: Float in [0.02, 0.5, 0.9, 0.999, 1] {
                    for strands in [StrandChoice.both, .reverse] {
                        func scan(reference: Bool) throws -> String {
                            try GenomeScanTests.scan(fasta, network: network) {
                                $0.scoring.step = step
                                $0.output.format = format
                                $0.output.threshold = threshold
                                $0.scoring.strands = strands
                                $0.scoring.referenceKernelOnly = reference
                                // The kernels are the point here; `statisticsNeverDependOnTheKernel` covers p-values.
                                $0.output.statistics = false
                            }
                        }
                        let fast = try scan(reference: false), reference = try scan(reference: true)
                        #expect(fast == reference, "\(label), step \(step), \(format), threshold \(threshold), \(strands)")
                    }
                }
            }
        }
    }

    /// The fast values of skipped windows are within the proven bound of the reference ones
    /// (σ′ ≤ 1/4), and the bound is tight enough to skip nearly every window of the built-in model.
    @Test func fastValuesStayWithinTheProvenBound() throws {
        let fasta = syntheticGenome(records: [8_000], seed: 5)
        let bases = Array(fasta.split(separator: "\n").dropFirst().joined().utf8)
        for (label, network) in try FastPathTests.models() {
            var options = ScanSettings()
            options.output.threshold = 0.9
            let bound = try #require(options.scan(network).fastPathLogitErrorBound)
            let fast = try ScanProbe.probabilities(network: network, bases: bases, options: options)
            options.scoring.referenceKernelOnly = true
            let reference = try ScanProbe.probabilities(network: network, bases: bases, options: options)
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
        let bound = try #require(GenomeScan(network: huge, scoring: ScoringOptions()).fastPathLogitErrorBound)
        #expect(bound == .infinity)
        let fasta = syntheticGenome(records: [2_000], seed: 9)
        func scan(reference: Bool) throws -> String {
            try GenomeScanTests.scan(fasta, network: huge) { $0.scoring.referenceKernelOnly = reference }
        }
        #expect(try scan(reference: false) == scan(reference: true))
        // The built-in weights are far from it.
        #expect(try #require(GenomeScan(network: builtin, scoring: ScoringOptions()).fastPathLogitErrorBound) < 0.2)
    }

    @Test func theGeneralPathHasNoFastPath() throws {
        let network = try Network.builtin()
        var layers = network.layers
        layers.insert(.dropout(rate: 0), at: 3)
        let general = try Network(name: "seed", inputLength: 50, layers: layers, parameters: network.parameters)
        #expect(GenomeScan(network: general, scoring: ScoringOptions()).fastPathLogitErrorBound == nil)
    }
}
