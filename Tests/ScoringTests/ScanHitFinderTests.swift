import Model
import Scoring
import TestSupport
import Testing

/// Hard-negative mining scans background with the scan's kernels; its hits must be the
/// forward pass's, window for window and strand for strand.
@Suite struct ScanHitFinderTests {
    @Test func findsTheSameHitsAsTheForwardPass() throws {
        let fasta = syntheticGenome(records: [4_000], seed: 33)
        // Mining stretches are ACGT only; the scan skips windows with an N, the forward pass does not.
        var bases = Array(fasta.split(separator: "\n").dropFirst().joined().utf8).map { Nucleotide.code[Int($0)] < 4 ? $0 : UInt8(ascii: "C") }
        bases.replaceSubrange(1_000..<1_012, with: Array("AAAGAGGAAGTT".utf8))
        bases.replaceSubrange(2_500..<2_512, with: Array("AACTTCCTCTTT".utf8))
        for (label, network) in try TestModels.seedShapes() {
            for (threshold, step): (Float, Int) in [(0.5, 1), (0.1, 1), (0.01, 1), (0.1, 7), (0.05, 50)] {
                let fast = ScanHitFinder(network: network).hits(in: bases, step: step, threshold: threshold)
                let slow = ForwardPassHitFinder(network: network).hits(in: bases, step: step, threshold: threshold)
                // Windows within 1e-5 of the threshold may fall either side of it.
                func clear(_ hits: [WindowHit]) -> Set<String> {
                    Set(hits.filter { $0.probability >= threshold + 1e-5 }.map { "\($0.start)\($0.reverse ? "-" : "+")" })
                }
                #expect(clear(fast).isSubset(of: Set(slow.map { "\($0.start)\($0.reverse ? "-" : "+")" })), "\(label) at \(threshold), step \(step)")
                #expect(clear(slow).isSubset(of: Set(fast.map { "\($0.start)\($0.reverse ? "-" : "+")" })), "\(label) at \(threshold), step \(step)")
                let slowByWindow = Dictionary(slow.map { ("\($0.start)\($0.reverse)", $0.probability) }, uniquingKeysWith: { a, _ in a })
                var largest: Float = 0
                for hit in fast {
                    #expect(hit.probability >= threshold)
                    if let p = slowByWindow["\(hit.start)\(hit.reverse)"] { largest = max(largest, abs(p - hit.probability)) }
                }
                #expect(largest <= 1e-5, "\(label): largest difference \(largest)")
            }
        }
    }

    @Test func shortStretchesHaveNoHits() throws {
        let finder = ScanHitFinder(network: try Network.builtin())
        #expect(finder.hits(in: [], step: 1, threshold: 0.5).isEmpty)
        #expect(finder.hits(in: Array(String(repeating: "A", count: 49).utf8), step: 1, threshold: 0).isEmpty)
        #expect(finder.hits(in: Array(String(repeating: "A", count: 50).utf8), step: 1, threshold: 0).count == 2)
        #expect(finder.hits(in: Array(String(repeating: "A", count: 150).utf8), step: 50, threshold: 0).map(\.start) == [0, 0, 50, 50, 100, 100])
    }
}
