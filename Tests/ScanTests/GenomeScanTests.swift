import Foundation
import GenomeIO
import Model
import Scan
import Scoring
import TestSupport
import Testing
import Tracks

/// A scan's scoring and output options, set together in tests.
struct ScanSettings {
    var scoring = ScoringOptions()
    var output = OutputOptions()

    func scan(_ network: Network) -> GenomeScan {
        GenomeScan(network: network, scoring: scoring, output: output)
    }
}

@Suite struct GenomeScanTests {
    static func scan(_ fasta: String, network: Network? = nil, configure: (inout ScanSettings) -> Void = { _ in }) throws -> String {
        String(decoding: try scanBytes(fasta, network: network, configure: configure), as: UTF8.self)
    }

    /// The bytes a scan writes (for binary formats: bigWig).
    static func scanBytes(_ fasta: String, network: Network? = nil, configure: (inout ScanSettings) -> Void = { _ in }) throws -> Data {
        let input = try Scratch.file(Array(fasta.utf8))
        let outputPath = input + ".out"
        var options = ScanSettings()
        configure(&options)
        let output = try OutputFile(path: outputPath)
        _ = try options.scan(network ?? Network.builtin()).run(inputs: [input], output: output)
        try output.commit()
        return try Data(contentsOf: URL(fileURLWithPath: outputPath))
    }

    /// The fast shared-convolution kernel against Model's plain forward pass on the same windows.
    @Test(arguments: [1, 3, 50])
    func fastKernelMatchesTheForwardPass(step: Int) throws {
        let fasta = syntheticGenome(records: [3_000, 75, 49, 50])
        let network = try Network.builtin()
        let fast = try GenomeScanTests.scan(fasta) { $0.output.format = .bed; $0.output.threshold = 0; $0.output.merge = false; $0.scoring.step = step }
        // The deep-style general path is forced by wrapping the same weights in an equivalent
        // stack the fast kernel does not recognise (a rate-0 dropout changes nothing).
        var layers = network.layers
        layers.insert(.dropout(rate: 0), at: 3)
        let general = try Network(name: "seed", inputLength: 50, layers: layers, parameters: network.parameters)
        #expect(!GenomeScan(network: general, scoring: ScoringOptions()).usesSharedConvolution)
        #expect(GenomeScan(network: network, scoring: ScoringOptions()).usesSharedConvolution)
        let slow = try GenomeScanTests.scan(fasta, network: general) { $0.output.format = .bed; $0.output.threshold = 0; $0.output.merge = false; $0.scoring.step = step }
        let a = fast.split(separator: "\n"), b = slow.split(separator: "\n")
        #expect(a.count == b.count)
        #expect(a.count > 0)
        var largest = 0.0
        for (x, y) in zip(a, b) {
            let fx = x.split(separator: "\t"), fy = y.split(separator: "\t")
            #expect(fx[0..<6] == fy[0..<6] || abs((Double(fx[6]) ?? 0) - (Double(fy[6]) ?? 0)) <= 1e-4)
            largest = max(largest, abs((Double(fx[6]) ?? 0) - (Double(fy[6]) ?? 0)))
        }
        print("step \(step): \(a.count) windows, largest printed difference \(largest)")
    }

    @Test func fastKernelIsWithin1e5OfTheScalarReference() throws {
        // Unrounded probabilities: the kernel against a window-by-window scalar forward pass.
        let network = try Network.builtin()
        let reference = try Network(name: "seed", inputLength: 50, layers: {
            var layers = network.layers
            layers.insert(.dropout(rate: 0), at: 3)
            return layers
        }(), parameters: network.parameters)
        let fasta = syntheticGenome(records: [2_000], seed: 9)
        let bases = Array(fasta.split(separator: "\n").dropFirst().joined().utf8)
        var largest: Float = 0
        for step in [1, 2, 7] {
            var options = ScanSettings()
            options.scoring.step = step
            let probabilities = try ScanProbe.probabilities(network: network, bases: bases, options: options)
            let expected = try ScanProbe.probabilities(network: reference, bases: bases, options: options)
            #expect(probabilities.count == expected.count)
            for (p, q) in zip(probabilities, expected) where !(p.isNaN && q.isNaN) {
                largest = max(largest, abs(p - q))
            }
            // And against Model.predict on explicit one-hot windows (+ strand).
            for (w, p) in probabilities.enumerated() where w % 2 == 0 && !p.isNaN {
                let start = w / 2 * step
                let window = Array(bases[start..<start + 50])
                let direct = network.predict(oneHot: Nucleotide.oneHot([window]), count: 1)[0]
                largest = max(largest, abs(p - direct))
            }
        }
        print("fast kernel vs scalar reference: largest difference \(largest)")
        #expect(largest <= 1e-5)
    }

    @Test(arguments: OutputFormat.allCases)
    func outputIsIdenticalForAnyThreadCountAndChunkSize(format: OutputFormat) throws {
        let fasta = syntheticGenome(records: [20_000, 130, 5_000], seed: 3, width: 77)
        let reference = try GenomeScanTests.scanBytes(fasta) { $0.scoring.threads = 1; $0.output.format = format; $0.output.threshold = 0.2 }
        #expect(!reference.isEmpty)
        for (threads, chunk) in [(2, 1), (2, 49), (2, 50), (1, 51), (2, 997), (3, 4096), (2, 1 << 20)] {
            let output = try GenomeScanTests.scanBytes(fasta) {
                $0.scoring.threads = threads
                $0.scoring.chunkBases = chunk
                $0.output.format = format
                $0.output.threshold = 0.2
            }
            #expect(output == reference, "threads \(threads), chunk \(chunk)")
        }
    }

    /// Short records share a work item, each on its own grid of window starts: the output is
    /// what scanning each record alone gives, in every format, step and chunk size. (Without
    /// statistics: a p-value depends on the whole run's background, a q-value on all its tests.)
    @Test(arguments: [1, 3, 7, 50, 64])
    func shortRecordsSharingAWorkItemScoreAsAlone(step: Int) throws {
        var random = MersenneTwister(seed: 17)
        let lengths = (0..<60).map { _ in [0, 1, 49, 50, 51, 60, 99, 130, 170][random.nextInt(through: 8)] }
        let records = lengths.enumerated().map { index, length in
            let text = syntheticGenome(records: [max(length, 1)], seed: UInt32(index + 1))
            let body = text.split(separator: "\n").dropFirst().joined()
            return ">s\(index)\n" + String(body.prefix(length)) + "\n"
        }
        for format in OutputFormat.allCases where format != .bigwig && format != .bigbed {
            let configure: (inout ScanSettings) -> Void = {
                $0.scoring.step = step
                $0.output.format = format
                $0.output.threshold = 0.05
                $0.output.statistics = false
                $0.scoring.threads = 2
            }
            // A table's header row (a GFF3 file's version line) comes once, before the first record's rows.
            let alone = try records.enumerated().map { index, record in
                let text = try GenomeScanTests.scan(record, configure: configure)
                return (format == .tsv || format == .gff3) && index > 0 ? String(text.drop { $0 != "\n" }.dropFirst()) : text
            }.joined()
            for chunk in [57, 300, 1 << 18] {
                let together = try GenomeScanTests.scan(records.joined()) { configure(&$0); $0.scoring.chunkBases = chunk }
                #expect(together == alone, "\(format), step \(step), chunk \(chunk)")
            }
        }
    }

    @Test func regionsAreSortedMergedAndInsideTheChromosome() throws {
        let fasta = syntheticGenome(records: [10_000, 3_000], seed: 4)
        let lengths = ["r0": 10_000, "r1": 3_000]
        for merge in [true, false] {
            let output = try GenomeScanTests.scan(fasta) { $0.output.merge = merge; $0.output.threshold = 0.3 }
            var previous: (String, Int, Int, String)?
            var lastEnd = ["+": -1, "-": -1]
            for line in output.split(separator: "\n") {
                let f = line.split(separator: "\t").map(String.init)
                #expect(f.count == 11)
                let start = Int(f[1]) ?? -1, end = Int(f[2]) ?? -1, score = Int(f[4]) ?? -1, p = Double(f[6]) ?? -1
                #expect((Double(f[8]) ?? -1) >= 0 && (Double(f[8]) ?? -1) <= (Double(f[7]) ?? -1), "0 ≤ −log10 q ≤ −log10 p")
                #expect(start >= 0 && end <= lengths[f[0]] ?? 0 && end - start >= 50)
                #expect(score == Int((p * 1000).rounded()) || abs(Double(score) - p * 1000) <= 0.51)
                #expect(p >= 0.3)
                if let previous, previous.0 == f[0] {
                    #expect((previous.1, previous.2, previous.3) <= (start, end, f[5]), "sorted")
                }
                if previous?.0 != f[0] { lastEnd = ["+": -1, "-": -1] }
                if merge, let last = lastEnd[f[5]] {
                    #expect(start > last, "same-strand regions neither overlap nor touch")
                }
                lastEnd[f[5]] = end
                previous = (f[0], start, end, f[5])
            }
        }
    }

    @Test func softMaskedWindowsCanBeLeftOut() throws {
        let fasta = ">m\n" + String(repeating: "ACGTAGCTAGTACG", count: 10) + "aaagaggaagtt" + String(repeating: "TGCATGCATCGA", count: 10) + "\n"
        let all = try GenomeScanTests.scan(fasta) { $0.output.threshold = 0; $0.output.merge = false; $0.scoring.strands = .forward }
        let skipped = try GenomeScanTests.scan(fasta) { $0.output.threshold = 0; $0.output.merge = false; $0.scoring.strands = .forward; $0.scoring.skipSoftMasked = true }
        let allStarts = Set(all.split(separator: "\n").map { Int($0.split(separator: "\t")[1]) ?? -1 })
        let keptStarts = Set(skipped.split(separator: "\n").map { Int($0.split(separator: "\t")[1]) ?? -1 })
        // 272 bases; the windows touching 140 ..< 152 are gone: starts 91 … 151.
        #expect(allStarts.count == 272 - 50 + 1)
        #expect(keptStarts == allStarts.subtracting(91...151))
    }

    /// A window is scored exactly when all its bases are ACGT (and, with --skip-soft-masked,
    /// uppercase): checked window by window at steps below, at and above the window length,
    /// on a sequence without such bases too (where every window is scored).
    @Test(arguments: [1, 7, 49, 50, 61, 200])
    func windowsAreScoredExactlyWhenAllTheirBasesAreScorable(step: Int) throws {
        var random = MersenneTwister(seed: UInt32(step))
        var bases = (0..<3_000).map { _ in Array("ACGT".utf8)[random.nextInt(through: 3)] }
        let clean = bases
        for i in 1_000..<1_030 { bases[i] |= 0x20 }
        let softMaskedOnly = bases
        for _ in 0..<12 { bases[random.nextInt(through: 2_999)] = UInt8(ascii: "N") }
        bases[2_500] = UInt8(ascii: "r")
        for sequence in [bases, softMaskedOnly, clean] {
            for skipSoftMasked in [false, true] {
                try check(sequence, skipSoftMasked: skipSoftMasked)
            }
        }
        func check(_ sequence: [UInt8], skipSoftMasked: Bool) throws {
            var options = ScanSettings()
            options.scoring.step = step
            options.scoring.skipSoftMasked = skipSoftMasked
            let windows = options.scan(try Network.builtin()).windowProbabilities(bases: sequence)
            #expect(windows.count == (sequence.count - 50) / step + 1)
            for (w, p) in windows.enumerated() {
                let window = sequence[(w * step)..<(w * step + 50)]
                let scorable = window.allSatisfy { "ACGTacgt".utf8.contains($0) && !(skipSoftMasked && $0 >= UInt8(ascii: "a")) }
                #expect(p.forward.isNaN == !scorable && p.reverse.isNaN == !scorable, "step \(step), window \(w)")
            }
        }
    }
}

/// Unrounded per-window probabilities, interleaved + then − for each window start, NaN
/// for windows that were not scored.
enum ScanProbe {
    static func probabilities(network: Network, bases: [UInt8], options: ScanSettings) throws -> [Float] {
        options.scan(network).windowProbabilities(bases: bases).flatMap { [$0.forward, $0.reverse] }
    }
}
