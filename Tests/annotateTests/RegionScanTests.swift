import Foundation
import TestSupport
import Testing

/// `scan --region` and `--regions`: exactly what a scan of the whole input writes for the
/// windows inside the requested intervals.
@Suite struct RegionScanTests {
    /// Regions at a record's start and end, past its end, overlapping (merged), in a short
    /// record, a whole record, with commas; one record is not asked for at all.
    static let regions = ["r0:1-2,000", "r0:1,500-9,000", "r0:120,000", "r2:10-70", "r3", "r4:59000-70000", "r0:60000-60049"]
    /// The same as 0-based half-open BED intervals.
    static let bed = "track name=x\nr0\t0\t9000\nr0\t119999\t999999999\nr2\t9\t70\nr3\t0\t400000\nr4\t58999\t70000\nr0\t59999\t60049\n"
    static let lengths = [150_000, 300, 80, 12_000, 60_000]

    /// Whether window [start, start + 50) lies inside one of the (merged) regions.
    static func inside(_ record: String, _ start: Int) -> Bool {
        let intervals: [String: [(Int, Int)]] = ["r0": [(0, 9000), (59_999, 60_049), (119_999, .max)], "r2": [(9, 70)], "r3": [(0, .max)], "r4": [(58_999, 70_000)]]
        return intervals[record, default: []].contains { start >= $0.0 && start + 50 <= $0.1 }
    }

    @Test(arguments: [(1, 1 << 18), (7, 997), (3, 50)])
    func regionsWriteWhatTheWholeScanWritesInsideThem(step: Int, chunk: Int) throws {
        let folder = try Scratch.directory()
        let genome = folder.appendingPathComponent("g.fa").path
        try syntheticGenome(records: RegionScanTests.lengths, seed: 33).write(toFile: genome, atomically: true, encoding: .utf8)
        let regionsFile = folder.appendingPathComponent("r.bed").path
        try RegionScanTests.bed.write(toFile: regionsFile, atomically: true, encoding: .utf8)
        // The same genome as BGZF (at step 1), when bgzip is here; both read by streaming, then through an index.
        var genomes = [genome]
        if let bgzip = IndexCommandTests.bgzip, step == 1 {
            _ = try runTool("/bin/sh", ["-c", "\(bgzip) -c \(genome) > \(genome).gz"])
            genomes.append(genome + ".gz")
        }
        for format in [["--no-stats", "--no-merge", "--threshold", "0.01"], ["--format", "bedgraph"]] {
            let common = ["scan", "--quiet", "--step", "\(step)", "--chunk-size", "\(chunk)", genome]
            let whole = try Annotate.run(common + format)
            #expect(whole.status == 0, "\(whole.stderr)")
            let expected = whole.stdout.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
                let f = line.split(separator: "\t")
                guard f.count >= 3, let start = Int(f[1]) else { return false }
                // bedGraph values sit at window centres ± step/2.
                let window = format.contains("bedgraph") ? start - (25 - step / 2) : start
                return RegionScanTests.inside(String(f[0]), window)
            }.map { $0 + "\n" }.joined()
            #expect(!expected.isEmpty)
            for input in genomes {
                for indexed in [false, true] {
                    if indexed { #expect(try Annotate.run(["index", input]).status == 0) }
                    let scan = ["scan", "--quiet", "--step", "\(step)", "--chunk-size", "\(chunk)", input] + format
                    let byRegion = try Annotate.run(scan + RegionScanTests.regions.flatMap { ["--region", $0] })
                    #expect(byRegion.status == 0, "\(byRegion.stderr)")
                    #expect(byRegion.stdout == expected, "\(input) \(format) --region, indexed \(indexed), step \(step), chunk \(chunk)")
                    let byFile = try Annotate.run(scan + ["--regions", regionsFile])
                    #expect(byFile.stdout == expected, "\(input) \(format) --regions, indexed \(indexed), step \(step), chunk \(chunk)")
                }
                for suffix in [".fai", ".gzi"] { try? FileManager.default.removeItem(atPath: input + suffix) }
            }
        }
    }

    /// Through an index, what is not asked for is not read: a record made unreadable after
    /// indexing (a '*' in place of a base) stops a streamed scan, not an indexed one.
    @Test func anIndexedScanReadsOnlyWhatItScans() throws {
        let folder = try Scratch.directory()
        let genome = folder.appendingPathComponent("g.fa").path
        var text = syntheticGenome(records: [5_000, 5_000], seed: 8)
        #expect(try Annotate.run(["index", genome]).status == 1, "no file yet")
        try text.write(toFile: genome, atomically: true, encoding: .utf8)
        #expect(try Annotate.run(["index", genome]).status == 0)
        let second = text.range(of: ">r1")?.upperBound ?? text.startIndex
        let broken = text.index(second, offsetBy: 300)
        text.replaceSubrange(broken...broken, with: "*")
        try text.write(toFile: genome, atomically: true, encoding: .utf8)
        let indexed = try Annotate.run(["scan", "--quiet", "--no-stats", "--threshold", "0", "--no-merge", "--region", "r0:1-200", genome])
        #expect(indexed.status == 0, "\(indexed.stderr)")
        let lines = indexed.stdout.split(separator: "\n")
        // Windows 0–150 on both strands, but those that touch the N run from base 100.
        #expect(lines.count > 2 * 50 && lines.allSatisfy { $0.hasPrefix("r0\t") && (Int($0.split(separator: "\t")[2]) ?? 999) <= 200 })
        try FileManager.default.removeItem(atPath: genome + ".fai")
        let streamed = try Annotate.run(["scan", "--quiet", "--no-stats", "--threshold", "0", "--no-merge", "--region", "r0:1-200", genome])
        #expect(streamed.status == 1 && streamed.stderr.contains("'*' is not a sequence letter"), "\(streamed.stderr)")
    }

    @Test func badRegionsAreNamed() throws {
        let folder = try Scratch.directory()
        let genome = folder.appendingPathComponent("g.fa").path
        try syntheticGenome(records: [1_000], seed: 3).write(toFile: genome, atomically: true, encoding: .utf8)
        let missing = try Annotate.run(["scan", "--no-stats", "--region", "chrX:1-100", genome])
        #expect(missing.status == 1 && missing.stderr.contains("region chrX: no record of that name in the input (asked for by --region chrX:1-100); it has r0"), "\(missing.stderr)")
        #expect(missing.stdout.isEmpty)
        // A BED line naming a record the genome lacks is named by its file and line, with
        // statistics too, streamed or through an index (which names the records before any
        // base is read).
        let lacking = folder.appendingPathComponent("lacking.bed").path
        try "r0\t10\t500\nchrY\t0\t100\n".write(toFile: lacking, atomically: true, encoding: .utf8)
        for indexed in [false, true] {
            if indexed { #expect(try Annotate.run(["index", genome]).status == 0) }
            let result = try Annotate.run(["scan", "--regions", lacking, genome])
            #expect(result.status == 1 && result.stderr.contains("region chrY: no record of that name in the input (asked for by \(lacking) line 2); it has r0"),
                    "\(result.stderr)")
        }
        let zero = try Annotate.run(["scan", "--no-stats", "--region", "r0:0-100", genome])
        #expect(zero.status == 1 && zero.stderr.contains("the start must be a position from 1"), "\(zero.stderr)")
        let bed = folder.appendingPathComponent("bad.bed").path
        try "r0\t10\t5\n".write(toFile: bed, atomically: true, encoding: .utf8)
        let reversed = try Annotate.run(["scan", "--no-stats", "--regions", bed, genome])
        #expect(reversed.status == 1 && reversed.stderr.contains("region line 1: not a BED interval"), "\(reversed.stderr)")
    }

    /// With statistics, a region's windows get the p-values of a scan of the whole genome
    /// (the background is the whole genome's, made in a first reading or read from a
    /// background file), and q-values over the tests made in the regions.
    @Test func regionsGetTheWholeGenomesPValues() throws {
        let folder = try Scratch.directory()
        let genome = folder.appendingPathComponent("g.fa").path
        try syntheticGenome(records: RegionScanTests.lengths, seed: 33).write(toFile: genome, atomically: true, encoding: .utf8)
        let background = folder.appendingPathComponent("g.bg").path
        #expect(try Annotate.run(["background", "--quiet", genome, "-o", background]).status == 0)
        let options = ["--no-merge", "--max-p", "0.01"]
        let whole = try Annotate.run(["scan", "--quiet", genome] + options)
        var pValues: [String: String] = [:]
        for line in whole.stdout.split(separator: "\n") {
            let f = line.split(separator: "\t")
            if RegionScanTests.inside(String(f[0]), Int(f[1]) ?? -1) { pValues[f[0..<6].joined(separator: " ")] = String(f[7]) }
        }
        #expect(pValues.count > 20)
        for indexed in [false, true] {
            if indexed { #expect(try Annotate.run(["index", genome]).status == 0) }
            let regions = RegionScanTests.regions.flatMap { ["--region", $0] }
            let scanned = try Annotate.run(["scan", "--quiet", genome] + options + regions)
            let fromFile = try Annotate.run(["scan", "--quiet", genome, "--background", background] + options + regions)
            #expect(scanned.status == 0 && fromFile.stdout == scanned.stdout, "\(fromFile.stderr)")
            var seen = 0
            var logs: [(p: Double, q: Double)] = []
            for line in scanned.stdout.split(separator: "\n") {
                let f = line.split(separator: "\t")
                #expect(pValues[f[0..<6].joined(separator: " ")] == String(f[7]), "\(line)")
                seen += 1
                if let p = Double(f[7]), let q = Double(f[8]) { logs.append((p, q)) }
            }
            #expect(seen == pValues.count)
            // −log10: q is no smaller a value than p, and q-values rank as the p-values do.
            logs.sort { $0.p < $1.p }
            #expect(logs.allSatisfy { $0.q <= $0.p })
            #expect(zip(logs, logs.dropFirst()).allSatisfy { $0.q <= $1.q + 1e-9 })
        }
    }
}
