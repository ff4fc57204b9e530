import Foundation
import Model
import TestSupport
import Testing

/// Scans in shards: `annotate background --shard`, `scan --shard` and `merge` give exactly
/// the output of one scan of the whole genome.
@Suite struct ShardScanTests {
    static let counts = [1, 2, 3, 7, 16]

    /// A genome of records longer and shorter than a 64-kbp block and than a window, one
    /// empty, one exactly a block long; as plain FASTA, and as BGZF when bgzip is installed.
    static func genomes() throws -> [String] {
        let folder = try Scratch.directory()
        let genome = folder.appendingPathComponent("g.fa").path
        var text = Array(syntheticGenome(records: [140_000, 30, 0, 70_000, 1_000, 65_536, 5], seed: 41).utf8)
        // Sites across the first record's block boundaries, where shards are cut.
        let header = (text.firstIndex(of: 0x0A) ?? 0) + 1
        for boundary in [65_536, 131_072] {
            for (i, base) in "AAAGAGGAAGTT".utf8.enumerated() {
                let position = boundary + 4 + i
                text[header + position + position / 60] = base
            }
        }
        try Data(text).write(to: URL(fileURLWithPath: genome))
        var inputs = [genome]
        if let bgzip = IndexCommandTests.bgzip {
            _ = try runTool("/bin/sh", ["-c", "\(bgzip) -c \(genome) > \(genome).gz"])
            inputs.append(genome + ".gz")
        }
        for input in inputs { #expect(try Annotate.run(["index", input]).status == 0) }
        return inputs
    }

    /// Runs `annotate` and expects success.
    static func succeed(_ arguments: [String]) throws -> Annotate.Output {
        let result = try Annotate.run(arguments)
        #expect(result.status == 0, "\(arguments.joined(separator: " ")): \(result.stderr)")
        return result
    }

    @Test func mergedShardsAreTheWholeScan() throws {
        for input in try ShardScanTests.genomes() {
            let folder = URL(fileURLWithPath: input).deletingLastPathComponent()
            func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
            _ = try ShardScanTests.succeed(["background", "--quiet", input, "-o", path("whole.bg")])
            let whole = try Data(contentsOf: URL(fileURLWithPath: path("whole.bg")))
            // Every shard count on plain FASTA; one on BGZF, whose reading other tests cover.
            let isPlain = input.hasSuffix(".fa")
            for count in isPlain ? ShardScanTests.counts : [7] {
                let parts = (1...count).map { path("bg.\($0)") }
                for shard in 1...count {
                    _ = try ShardScanTests.succeed(["background", "--quiet", input, "--shard", "\(shard)/\(count)", "-o", parts[shard - 1]])
                }
                // In any order.
                _ = try ShardScanTests.succeed(["merge", "--quiet"] + parts.reversed() + ["-o", path("merged.bg")])
                #expect(try Data(contentsOf: URL(fileURLWithPath: path("merged.bg"))) == whole, "\(input): the background of \(count) parts")
            }
            let background = ["--background", path("whole.bg")]
            // Regions that span the shards' cuts (--max-p 0.05 merges many windows), q-value
            // cuts, unmerged windows, no statistics.
            let scans: [[String]] = [["--max-p", "0.05"] + background, ["--format", "narrowpeak", "--max-q", "0.2"] + background,
                                     ["--no-merge", "--threshold", "0.2"] + background, ["--no-stats", "--threshold", "0.05"]]
            for (number, options) in scans.enumerated() {
                // Every shard count for the first options on plain FASTA; 7 shards for the rest.
                guard number == 0 || isPlain else { continue }
                let plain = try ShardScanTests.succeed(["scan", "--quiet", input] + options)
                #expect(plain.stdout.split(separator: "\n").count > 200, "\(options)")
                _ = try ShardScanTests.succeed(["scan", "--quiet", input, "-o", path("whole.bed.gz")] + options)
                for count in number == 0 && isPlain ? ShardScanTests.counts : [7] {
                    let shards = (1...count).map { path("scan.\($0)") }
                    for shard in 1...count {
                        _ = try ShardScanTests.succeed(["scan", "--quiet", input, "--shard", "\(shard)/\(count)", "-o", shards[shard - 1]] + options)
                    }
                    let merged = try ShardScanTests.succeed(["merge", "--quiet"] + shards)
                    #expect(merged.stdout == plain.stdout, "\(input) \(options), \(count) shards")
                    _ = try ShardScanTests.succeed(["merge", "--quiet", "-o", path("merged.bed.gz")] + shards)
                    for suffix in ["", ".tbi"] {
                        let expected = try Data(contentsOf: URL(fileURLWithPath: path("whole.bed.gz" + suffix)))
                        #expect(try Data(contentsOf: URL(fileURLWithPath: path("merged.bed.gz" + suffix))) == expected,
                                "\(input) \(options), \(count) shards, BGZF\(suffix)")
                    }
                }
            }
        }
    }

    /// A region that spans a cut is merged from both shards' windows: the test above means
    /// something only if the genome has such regions.
    @Test func someRegionsSpanTheCuts() throws {
        let input = try ShardScanTests.genomes()[0]
        let whole = try ShardScanTests.succeed(["scan", "--quiet", "--no-stats", "--threshold", "0.05", input])
        let spanning = whole.stdout.split(separator: "\n").filter { line in
            let fields = line.split(separator: "\t")
            guard fields.count > 2, let start = Int(fields[1]), let end = Int(fields[2]) else { return false }
            return start / 65_536 != (end - 50) / 65_536
        }
        #expect(!spanning.isEmpty)
    }

    @Test func bedGraphShardsJoinWithCat() throws {
        for input in try ShardScanTests.genomes() {
            let options = ["--format", "bedgraph", "--step", "3", "--track-line"]
            let whole = try ShardScanTests.succeed(["scan", "--quiet", input] + options)
            for count in [2, 7] {
                var joined = ""
                for shard in 1...count {
                    joined += try ShardScanTests.succeed(["scan", "--quiet", "--shard", "\(shard)/\(count)", input] + options).stdout
                }
                #expect(joined == whole.stdout, "\(input), \(count) shards")
            }
        }
    }

    /// The built-in model with one weight moved: another model.
    static func otherModel(in folder: URL) throws -> String {
        var network = try Network.builtin()
        network.parameters[0] += 0.01
        let path = folder.appendingPathComponent("other.json").path
        try network.modelFileText().write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func shardsAndMergesRefuseWhatDoesNotFit() throws {
        let input = try ShardScanTests.genomes()[0]
        let folder = URL(fileURLWithPath: input).deletingLastPathComponent()
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        let unindexed = path("u.fa")
        try syntheticGenome(records: [1_000], seed: 2).write(toFile: unindexed, atomically: true, encoding: .utf8)
        let noIndex = try Annotate.run(["scan", "--no-stats", "--shard", "1/2", unindexed])
        #expect(noIndex.status == 1 && noIndex.stderr.contains("--shard needs the input's faidx index; make one with annotate index"), "\(noIndex.stderr)")
        for bad in ["0/2", "3/2", "2", "a/b"] {
            let result = try Annotate.run(["scan", "--no-stats", "--shard", bad, input])
            #expect(result.status == 2 && result.stderr.contains("The value '\(bad)' is invalid for '--shard <I/N>'"), "\(bad): \(result.stderr)")
        }
        let noBackground = try Annotate.run(["scan", "--shard", "1/2", input])
        #expect(noBackground.status == 2 && noBackground.stderr.contains("--shard with statistics needs --background FILE"), "\(noBackground.stderr)")

        for shard in 1...3 {
            _ = try ShardScanTests.succeed(["background", "--quiet", input, "--shard", "\(shard)/3", "-o", path("p.\(shard)")])
            _ = try ShardScanTests.succeed(["scan", "--quiet", "--no-stats", input, "--shard", "\(shard)/3", "-o", path("s.\(shard)")])
        }
        _ = try ShardScanTests.succeed(["scan", "--quiet", "--no-stats", "--threshold", "0.9", input, "--shard", "2/3", "-o", path("other.2")])
        _ = try ShardScanTests.succeed(["background", "--quiet", "--step", "5", input, "-o", path("step5.bg")])
        _ = try ShardScanTests.succeed(["background", "--quiet", unindexed, "-o", path("other.bg")])
        let truncated = try String(contentsOfFile: path("s.3"), encoding: .utf8).split(separator: "\n").dropLast().joined(separator: "\n") + "\n"
        try truncated.write(toFile: path("cut.3"), atomically: true, encoding: .utf8)

        // Damaged copies of shard 2: each line that a merge reads, broken in one way.
        let second = try String(contentsOfFile: path("s.2"), encoding: .utf8)
        let firstWindow = second.split(separator: "\n").first { $0.hasPrefix("w\t") }.map(String.init) ?? "w"
        let damages = [("window", firstWindow, "w\tten\t0.5\t."), ("probability", firstWindow, firstWindow.replacingOccurrences(of: "\t.", with: "\t2")),
                       ("record", "record\t", "record\tx"), ("tests", "tests\t", "tests\t-"), ("magic", "#annotate-shard\t2", "#annotate-shard\t1"),
                       ("site", firstWindow, firstWindow.split(separator: "\t").dropLast().joined(separator: "\t") + "\t1,ACGU")]
        for (name, old, new) in damages {
            guard let range = second.range(of: old) else { continue }
            try second.replacingCharacters(in: range, with: new).write(toFile: path("bad.\(name)"), atomically: true, encoding: .utf8)
        }

        let refusals: [([String], String)] = [
            (["merge", path("s.1"), path("bad.window"), path("s.3")], "bad.window: line"),
            (["merge", path("s.1"), path("bad.probability"), path("s.3")], "bad.probability: line"),
            (["merge", path("s.1"), path("bad.record"), path("s.3")], "bad.record: line"),
            (["merge", path("s.1"), path("bad.tests"), path("s.3")], "bad.tests: line"),
            (["merge", path("s.1"), path("bad.magic"), path("s.3")], "bad.magic: line 1: a shard file of format 1; this annotate reads format 2"),
            (["merge", path("s.1"), path("bad.site"), path("s.3")], "bad.site: line"),
            (["merge", path("s.1"), path("s.2")], "this is shard 1 of 3, and 2 files were given"),
            (["merge", path("s.1"), path("s.2"), path("s.2")], "shard 2 is given twice"),
            (["merge", path("s.1"), path("other.2"), path("s.3")], "this shard comes from another scan"),
            (["merge", path("s.1"), path("s.2"), path("cut.3")], "cut.3: line"),
            (["merge", path("p.1"), path("p.2"), "-o", path("x.bg")], "this is part 1 of 3, and 2 files were given"),
            (["merge", path("p.1"), path("p.2"), path("p.3"), "-o", path("x.bg"), "--model", try ShardScanTests.otherModel(in: folder)], "another model"),
            (["merge", input], "not a shard or background file"),
            (["scan", input, "--background", path("p.1")], "this is one shard's part of a background"),
            (["scan", input, "--background", path("step5.bg")], "made with other settings than this scan (step=1 here, step=5 there)"),
            (["scan", input, "--background", path("other.bg")], "this background is of another genome than"),
        ]
        for (arguments, message) in refusals {
            let result = try Annotate.run(arguments)
            #expect(result.status == 1 && result.stderr.contains(message), "\(arguments.suffix(3)): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: path("x.bg")))
    }
}
