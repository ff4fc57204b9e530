import Model
import Scoring
import Significance
import TestSupport
import Testing

/// What the background's decoys are tallied by (`ScoringPrecision.logits`): each window's
/// logit, the fast path's where it proves the window below the threshold (the very value
/// whose sigmoid a scan writes there), and the reference probability's logit above it.
@Suite struct DecoyLogitTests {
    static let bases: [UInt8] = {
        // Decoys are A, C, G and T only: the genome's other letters as A.
        let fasta = syntheticGenome(records: [6_000], seed: 31)
        return Array(fasta.split(separator: "\n").dropFirst().joined().utf8).map { Nucleotide.code[Int($0)] < 4 ? $0 & 0xDF : UInt8(ascii: "A") }
    }()

    static func stretch(_ network: Network, codes: Bool, precision: ScoringPrecision) -> ScoredStretch {
        let geometry = WindowGeometry(length: network.inputLength, step: 1)
        if codes {
            let encoded = bases.map { Nucleotide.code[Int($0)] }
            return encoded.withUnsafeBufferPointer {
                ScoredStretch(codes: $0, geometry: geometry, scorer: makeWindowScorer(for: network), strands: .both, precision: precision)
            }
        }
        return bases.withUnsafeBufferPointer {
            ScoredStretch(bases: $0, geometry: geometry, firstWindow: 0, scorer: makeWindowScorer(for: network), strands: .both,
                          skipSoftMasked: false, precision: precision)
        }
    }

    @Test func logitsAreTheProbabilitiesLogitsWindowByWindow() throws {
        #expect(DecoyLogitTests.bases.allSatisfy { Nucleotide.code[Int($0)] < 4 })
        let threshold: Float = 0.001
        var both = (above: 0, below: 0)
        for (label, network) in try TestModels.seedShapes() + TestModels.generalStacks() {
            let logits = DecoyLogitTests.stretch(network, codes: true, precision: ScoringPrecision(threshold: threshold, logits: true))
            let probabilities = DecoyLogitTests.stretch(network, codes: false, precision: ScoringPrecision(threshold: threshold))
            #expect(logits.windows == probabilities.windows && logits.windows == DecoyLogitTests.bases.count - 49)
            var above = 0, below = 0
            for (z, p) in zip(logits.forward + logits.reverse, probabilities.forward + probabilities.reverse) {
                if p >= threshold, z == Float(ScoreBins.logit(p)) {
                    above += 1
                } else if p < threshold, Activation.sigmoid(z) == p {
                    below += 1
                } else {
                    Issue.record("\(label): logit \(z) against probability \(p)")
                    break
                }
            }
            #expect(above + below == 2 * logits.windows, "\(label)")
            print("\(label): \(above) windows above the threshold, \(below) below")
            both = (both.above + above, both.below + below)
        }
        // Both kinds of window, in numbers (the built-in model has a few hundred above).
        #expect(both.above > 1_000 && both.below > 1_000)
    }
}
