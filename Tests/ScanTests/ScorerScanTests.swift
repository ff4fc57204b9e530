import Model
import Scan
import Scoring
import TestSupport
import Testing
import Tracks

/// Whole scans through each scorer: the fast path's proof never changes a written byte, and
/// the general scorer's output is the same for any thread count and chunk size.
@Suite struct ScorerScanTests {
    @Test(arguments: [1, 3, 50, 61])
    func skippingNeverChangesTheOutput(step: Int) throws {
        let fasta = syntheticGenome(records: [6_000, 300, 51], seed: 12, width: 61)
        for (label, network) in try TestModels.seedShapes() {
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

    /// The same bytes for any thread count and chunk size, on every architecture.
    @Test func outputIsIdenticalForAnyThreadCountAndChunkSize() throws {
        let fasta = syntheticGenome(records: [3_000, 130, 49, 700], seed: 8, width: 61)
        for (label, network) in try TestModels.generalStacks() {
            for format in [OutputFormat.bed, .bedgraph] {
                // The scorer is the point here (statistics are checked in SignificanceScanTests).
                let reference = try GenomeScanTests.scan(fasta, network: network) {
                    $0.scoring.threads = 1
                    $0.output.format = format
                    $0.output.threshold = 0.3
                    $0.output.statistics = false
                }
                #expect(!reference.isEmpty, "\(label)")
                for (threads, chunk) in [(2, 1), (2, 50), (3, 97), (2, 1000), (2, nil)] as [(Int, Int?)] {
                    let output = try GenomeScanTests.scan(fasta, network: network) {
                        $0.scoring.threads = threads
                        $0.scoring.chunkBases = chunk
                        $0.output.format = format
                        $0.output.threshold = 0.3
                        $0.output.statistics = false
                    }
                    #expect(output == reference, "\(label), \(format), threads \(threads), chunk \(chunk.map(String.init) ?? "default")")
                }
            }
        }
    }
}
