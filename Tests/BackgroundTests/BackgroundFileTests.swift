import Background
import Foundation
import GenomeIO
import Model
import Scoring
import Significance
import TestSupport
import Testing

/// A genome's background as `annotate background` writes it: the parts of any sharding add
/// up to exactly the whole genome's file, the file reads back as written, and a damaged or
/// mismatched file is named with its line instead of being trusted.
@Suite struct BackgroundFileTests {
    /// A 300-kbp genome of five records (one empty, one shorter than a block), plain and indexed.
    static let genome: String = {
        let fasta = syntheticGenome(records: [140_000, 0, 70_000, 3_000, 87_000], seed: 44)
        let path = (try? Scratch.file(Array(fasta.utf8), name: "genome.fa")) ?? "/nonexistent"
        if let index = try? FastaIndex.build(reading: ByteStream(path: path)) {
            try? index.text.write(toFile: path + ".fai", atomically: true, encoding: .utf8)
        }
        return path
    }()

    static func builder(step: Int = 1, strands: StrandChoice = .both) throws -> BackgroundBuilder {
        BackgroundBuilder(network: try Network.builtin(), step: step, strands: strands, skipSoftMasked: false, threads: 2)
    }

    /// Writes with `body` into a fresh file and returns its bytes.
    static func written(_ body: (OutputFile) throws -> Void) throws -> [UInt8] {
        let path = try Scratch.directory().appendingPathComponent("out").path
        let file = try OutputFile(path: path)
        try body(file)
        try file.commit()
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test(arguments: [2, 3, 7])
    func partsMergeIntoTheWholeGenomesBackground(shards: Int) throws {
        let builder = try BackgroundFileTests.builder(step: 3)
        let whole = try BackgroundFileTests.written { file in
            let made = try builder.write(inputs: [BackgroundFileTests.genome], shard: nil, to: file)
            #expect(made.records == 4, "the empty record is left out")
            // One class (its blocks' decoys, a tenth of the windows, are fewer than 10⁵),
            // topped up to a decoy for every 2 tests (at step 3 on both strands, 2/3 of a test
            // a scorable base), but to 10⁵ at least, on both strands.
            let text = try String(contentsOfFile: BackgroundFileTests.genome, encoding: .utf8)
            let scorable = text.split(separator: "\n").filter { !$0.hasPrefix(">") }.reduce(0) { $0 + $1.utf8.count { "ACGTacgt".utf8.contains($0) } }
            let wanted = min(1_000_000, max(100_000, Int(Double(scorable) * 2 / 3 / 2)))
            #expect(made.decoyWindows == wanted || made.decoyWindows == wanted + 1, "\(scorable) scorable bases")
        }
        var parts: [String] = []
        for index in 1...shards {
            let part = try BackgroundFileTests.written { file in
                _ = try builder.write(inputs: [BackgroundFileTests.genome], shard: GenomeShard(index: index, count: shards), to: file)
            }
            parts.append(try Scratch.file(part, name: "part\(index)"))
        }
        let merged = try BackgroundFileTests.written { file in
            _ = try BackgroundBuilder.merge(paths: parts.reversed(), network: try Network.builtin(), threads: 1, to: file)
        }
        #expect(merged == whole)
    }

    /// The file reads back as the background it was written from: its classes, their decoys
    /// and their p-values, which fall as the probability rises.
    @Test func aBackgroundReadsBackAsWritten() throws {
        let builder = try BackgroundFileTests.builder(strands: .reverse)
        var made: (records: Int, decoyWindows: Int?) = (0, nil)
        let bytes = try BackgroundFileTests.written { made = try builder.write(inputs: [BackgroundFileTests.genome], shard: nil, to: $0) }
        let path = try Scratch.file(bytes, name: "genome.background")
        let (background, digest) = try builder.load(path: path, inputs: [BackgroundFileTests.genome])
        #expect(digest == SHA256.hexDigest(bytes))
        #expect(background.decoyWindows == made.decoyWindows)
        let text = String(decoding: bytes, as: UTF8.self)
        let classLines = text.split(separator: "\n").filter { $0.hasPrefix("class\t") }
        #expect(background.classes.count == classLines.count && !classLines.isEmpty)
        for (nullClass, line) in zip(background.classes, classLines) {
            let fields = line.split(separator: "\t")
            #expect(nullClass.gcPercent.lowerBound == 2 * (Int(fields[2]) ?? -1))
            #expect(nullClass.gcPercent.upperBound == 2 * (Int(fields[3]) ?? -1) + 2)
            var previous = 1.0
            for probability: Float in [0.001, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999] {
                let p = nullClass.table.pValue(logit: ScoreBins.logit(probability))
                #expect(p > 0 && p <= previous, "p-values fall as the probability rises")
                previous = p
            }
        }
    }

    /// Each kind of damage gets one error naming the file and, where there is one, the line.
    @Test func damagedFilesAreNamedWithTheirLine() throws {
        let builder = try BackgroundFileTests.builder()
        let text = String(decoding: try BackgroundFileTests.written {
            _ = try builder.write(inputs: [BackgroundFileTests.genome], shard: nil, to: $0)
        }, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast()
        let classLine = try #require(lines.firstIndex { $0.hasPrefix("class\t") })
        /// The lines with `suffix` added to field `field` of the first class line.
        func damagingClassLine(field: Int, plus suffix: String) -> [String] {
            lines.enumerated().map { (offset, line) in
                guard offset == classLine else { return line }
                var fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                fields[field] += suffix
                return fields.joined(separator: "\t")
            }
        }
        let damaged: [(String, [String], String)] = [
            ("no end line", Array(lines.dropLast()), "line \(lines.count - 1): expected the end line"),
            ("a cut file", Array(lines.prefix(classLine + 1)), "line \(classLine + 1): expected the line of G+C bin 0"),
            ("another magic", ["#annotate-shard\t1"] + lines.dropFirst(), "line 1: not a background file"),
            ("format 1", ["#annotate-background\t1"] + lines.dropFirst(), "line 1: a background file of format 1; this annotate reads format 3"),
            ("a bad tally", damagingClassLine(field: 4, plus: ",x:1"), "line \(classLine + 1): a decoy tally is SCORE_BIN:COUNT"),
            ("a bad cluster tally", damagingClassLine(field: 5, plus: ",x:1"), "line \(classLine + 1): a cluster tally is SCORE_BIN:COUNT"),
            ("a class without clusters", lines.enumerated().map { $0.offset == classLine ? $0.element.split(separator: "\t").dropLast().joined(separator: "\t") : $0.element },
             "line \(classLine + 1): expected class 0"),
            ("a bad bin", lines.map { $0.hasPrefix("record\t0\t") ? $0 + "zz" : $0 }, "line 4: a block's G+C bin"),
            // Found by fuzz/background.swift: the tally's total overflowed and trapped.
            ("a tally past any genome's", damagingClassLine(field: 4, plus: ",9000:18446744073709551615"),
             "line \(classLine + 1): a decoy tally counts more than 2^48 windows"),
            ("a cluster count past any genome's", damagingClassLine(field: 5, plus: ",9000:-281474976710657"),
             "line \(classLine + 1): a cluster tally is SCORE_BIN:COUNT,… with counts within ±2^48"),
            ("lines after the end", lines + ["end\t1"], "lines after the end line"),
        ]
        for (label, damage, message) in damaged {
            let path = try Scratch.file(Array((damage.joined(separator: "\n") + "\n").utf8), name: "damaged.background")
            #expect(throws: GenomeIOError.self, "\(label)") { try builder.load(path: path, inputs: []) }
            do {
                _ = try builder.load(path: path, inputs: [])
            } catch {
                #expect(error.description.hasPrefix(path + ": "), "\(label): \(error)")
                #expect(error.description.contains(message), "\(label): \(error)")
            }
        }
    }

    /// A background fits only scans with its settings and its genome.
    @Test func mismatchesAreRefused() throws {
        let builder = try BackgroundFileTests.builder()
        let bytes = try BackgroundFileTests.written { _ = try builder.write(inputs: [BackgroundFileTests.genome], shard: nil, to: $0) }
        let path = try Scratch.file(bytes, name: "genome.background")
        let cases: [(BackgroundBuilder, [String], String)] = [
            (try BackgroundFileTests.builder(step: 2), [BackgroundFileTests.genome], "step=2 here, step=1 there"),
            (try BackgroundFileTests.builder(strands: .forward), [BackgroundFileTests.genome], "strands=+ here, strands=both there"),
        ]
        for (other, inputs, message) in cases {
            do {
                _ = try other.load(path: path, inputs: inputs)
                Issue.record("accepted: \(message)")
            } catch {
                #expect(error.description.contains(message), "\(error)")
            }
        }
        let another = syntheticGenome(records: [140_000, 70_000], seed: 45)
        let anotherPath = try Scratch.file(Array(another.utf8), name: "another.fa")
        try FastaIndex.build(reading: ByteStream(path: anotherPath)).text.write(toFile: anotherPath + ".fai", atomically: true, encoding: .utf8)
        #expect(throws: GenomeIOError.self) { try builder.load(path: path, inputs: [anotherPath]) }
    }
}
