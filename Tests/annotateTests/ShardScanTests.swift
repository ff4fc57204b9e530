import Foundation
import TestSupport
import Testing

/// `scan --shard I/N`: every window is scored in exactly one shard, so the shards' outputs
/// of unmerged lines, laid end to end, are the whole scan's.
@Suite struct ShardScanTests {
    @Test(arguments: [["--no-stats", "--no-merge", "--threshold", "0.01"], ["--format", "bedgraph", "--step", "3"]])
    func shardsLaidEndToEndAreTheWholeScan(format: [String]) throws {
        let folder = try Scratch.directory()
        let genome = folder.appendingPathComponent("g.fa").path
        // Records longer and shorter than a 64-kbp block, and shorter than a window.
        try syntheticGenome(records: [200_000, 30, 70_000, 1_000, 140_000, 65_536, 5], seed: 41).write(toFile: genome, atomically: true, encoding: .utf8)
        var inputs = [genome]
        if let bgzip = IndexCommandTests.bgzip {
            _ = try runTool("/bin/sh", ["-c", "\(bgzip) -c \(genome) > \(genome).gz"])
            inputs.append(genome + ".gz")
        }
        for input in inputs {
            #expect(try Annotate.run(["index", input]).status == 0)
            let whole = try Annotate.run(["scan", "--quiet", input] + format)
            #expect(whole.status == 0 && whole.stdout.count > 1000, "\(whole.stderr)")
            for count in [1, 2, 3, 7, 16] {
                var joined = ""
                for shard in 1...count {
                    let part = try Annotate.run(["scan", "--quiet", "--shard", "\(shard)/\(count)", input] + format)
                    #expect(part.status == 0, "\(part.stderr)")
                    joined += part.stdout
                }
                #expect(joined == whole.stdout, "\(input) \(format), \(count) shards")
            }
        }
    }

    @Test func shardsNeedAnIndexedFile() throws {
        let folder = try Scratch.directory()
        let genome = folder.appendingPathComponent("g.fa").path
        try syntheticGenome(records: [1_000], seed: 2).write(toFile: genome, atomically: true, encoding: .utf8)
        let unindexed = try Annotate.run(["scan", "--no-stats", "--shard", "1/2", genome])
        #expect(unindexed.status == 1 && unindexed.stderr.contains("--shard needs the input's faidx index; make one with annotate index"), "\(unindexed.stderr)")
        for bad in ["0/2", "3/2", "2", "a/b"] {
            let result = try Annotate.run(["scan", "--no-stats", "--shard", bad, genome])
            #expect(result.status == 2 && result.stderr.contains("The value '\(bad)' is invalid for '--shard <I/N>'"), "\(bad): \(result.stderr)")
        }
        let statistics = try Annotate.run(["scan", "--shard", "1/2", genome])
        #expect(statistics.status == 2 && statistics.stderr.contains("need --no-stats for now"))
    }
}
