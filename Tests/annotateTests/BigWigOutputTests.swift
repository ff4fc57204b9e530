import Foundation
import TestSupport
import Testing

/// `scan --format bigwig`: the bedGraph's values, read back by pyBigWig.
@Suite struct BigWigOutputTests {
    /// Runs scripts/check_tracks.py (pyBigWig against the plain output); it prints "ok" when
    /// every check held.
    static func check(_ arguments: [String], _ context: String) throws {
        let script = Annotate.repository.appendingPathComponent("scripts/check_tracks.py").path
        let result = try runTool("/usr/bin/python3", [script] + arguments)
        #expect(result.status == 0, "\(context): \(result.err)")
        #expect(result.out.hasPrefix("ok"))
    }

    @Test(.enabled(if: hasPyBigWig, "pyBigWig (Debian python3-pybigwig) not installed; skipped"), arguments: [["--step", "1"], ["--step", "10", "--strand", "-"], ["--step", "5", "--strand", "max"], ["--step", "100"]])
    func pyBigWigReadsWhatTheBedGraphSays(arguments: [String]) throws {
        let folder = try Scratch.directory()
        let genome = folder.appendingPathComponent("g.fa").path
        try syntheticGenome(records: [150_000, 3_000, 60_000], seed: 12).write(toFile: genome, atomically: true, encoding: .utf8)
        // The demo at step 1; a generated genome (a short record, N runs, soft-masking) at the other steps.
        for input in arguments[1] == "1" ? [Annotate.repository.appendingPathComponent("samples/demo.fa.gz").path] : [genome] {
            let bigWig = folder.appendingPathComponent("t.bw").path, bedGraph = folder.appendingPathComponent("t.bedGraph").path
            let a = try Annotate.run(["scan", "--quiet", "--format", "bigwig", "-o", bigWig] + arguments + [input])
            let b = try Annotate.run(["scan", "--quiet", "--format", "bedgraph", "-o", bedGraph] + arguments + [input])
            #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
            if arguments.last == "max" { try BigWigOutputTests.expectLargerStrand(bedGraph, input: input, step: arguments[1]) }
            try BigWigOutputTests.check(["bigwig", bigWig, bedGraph, arguments[1]], "\(input) \(arguments)")
        }
    }

    /// With both strands scored (the default), bedGraph shows at every position the larger
    /// of the two strands' values, so a − strand site shows; `--strand max` says the same.
    @Test func theDefaultSignalIsTheLargerStrand() throws {
        let demo = Annotate.repository.appendingPathComponent("samples/demo.fa.gz").path
        let both = try Annotate.run(["scan", "--quiet", "--format", "bedgraph", "--step", "5", demo])
        let max = try Annotate.run(["scan", "--quiet", "--format", "bedgraph", "--step", "5", "--strand", "max", demo])
        let plus = try Annotate.run(["scan", "--quiet", "--format", "bedgraph", "--step", "5", "--strand", "+", demo])
        #expect(both.status == 0 && both.stdout == max.stdout, "\(both.stderr)")
        // Every planted site shows at its centre, on either strand; the + strand alone
        // misses the − strand's sites.
        func peak(_ bedGraph: String, _ chromosome: Substring, _ start: Int, _ end: Int) -> Double {
            var best = 0.0
            for line in bedGraph.split(separator: "\n") {
                let fields = line.split(separator: "\t")
                guard fields.count == 4, fields[0] == chromosome else { continue }
                let (from, to): (Int, Int) = (Int(fields[1]) ?? 0, Int(fields[2]) ?? 0)
                if from < end, to > start { best = Swift.max(best, Double(fields[3]) ?? 0) }
            }
            return best
        }
        let sites = try String(contentsOfFile: Annotate.repository.appendingPathComponent("samples/demo.truth.bed").path, encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: "\t") }
        #expect(sites.count > 40 && sites.contains { $0[5] == "-" })
        for site in sites {
            let (start, end) = (Int(site[1]) ?? 0, Int(site[2]) ?? 0)
            #expect(peak(both.stdout, site[0], start, end) >= 0.5, "\(site)")
            if site[5] == "-" { #expect(peak(plus.stdout, site[0], start, end) < 0.5, "\(site)") }
        }
    }

    /// `--strand max` has, at every position, the larger of the + and − strands' values.
    static func expectLargerStrand(_ bedGraph: String, input: String, step: String) throws {
        var strands: [[Substring]] = []
        for strand in ["+", "-"] {
            let result = try Annotate.run(["scan", "--quiet", "--format", "bedgraph", "--step", step, "--strand", strand, input])
            #expect(result.status == 0, "\(result.stderr)")
            strands.append(result.stdout.split(separator: "\n"))
        }
        let lines = try String(contentsOfFile: bedGraph, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == strands[0].count && lines.count == strands[1].count && lines.count > 1000)
        var larger = (plus: 0, minus: 0)
        for (line, (plus, minus)) in zip(lines, zip(strands[0], strands[1])) {
            let fields = line.split(separator: "\t"), p = plus.split(separator: "\t"), m = minus.split(separator: "\t")
            #expect(fields[0..<3] == p[0..<3] && fields[0..<3] == m[0..<3], "\(line) \(plus) \(minus)")
            let (a, b) = (Double(p[3]) ?? .nan, Double(m[3]) ?? .nan)
            #expect(fields[3] == (a >= b ? p[3] : m[3]), "\(line) \(plus) \(minus)")
            if a > b { larger.plus += 1 } else if b > a { larger.minus += 1 }
        }
        // Each strand is the larger one often.
        #expect(larger.plus > 500 && larger.minus > 500, "\(larger) of \(lines.count)")
    }

    /// `--format bigbed`: every BED line as a record, with the autoSql that names the columns.
    @Test(.enabled(if: hasPyBigWig, "pyBigWig (Debian python3-pybigwig) not installed; skipped"), arguments: [[], ["--no-stats", "--threshold", "0.05"]])
    func pyBigWigReadsEveryRegionOfTheBigBed(arguments: [String]) throws {
        let folder = try Scratch.directory()
        let genome = folder.appendingPathComponent("g.fa").path
        try syntheticGenome(records: [300_000, 3_000, 60_000], seed: 14).write(toFile: genome, atomically: true, encoding: .utf8)
        for input in [Annotate.repository.appendingPathComponent("samples/demo.fa.gz").path, genome] {
            let bigBed = folder.appendingPathComponent("t.bb").path, bed = folder.appendingPathComponent("t.bed").path
            let a = try Annotate.run(["scan", "--quiet", "--format", "bigbed", "-o", bigBed] + arguments + [input])
            let b = try Annotate.run(["scan", "--quiet", "-o", bed] + arguments + [input])
            #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
            try BigWigOutputTests.check(["bigbed", bigBed, bed], "\(input) \(arguments)")
        }
    }

    @Test func theLargerStrandIsOnlyForSignalTracks() throws {
        let result = try Annotate.run(["scan", "--strand", "max", Annotate.repository.appendingPathComponent("samples/demo.fa.gz").path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--strand max shows the larger strand's value per position: it applies to bedgraph and bigwig"))
        #expect(result.stdout.isEmpty)
    }

    @Test func bigWigNeedsAFile() throws {
        let result = try Annotate.run(["scan", "--format", "bigwig", Annotate.repository.appendingPathComponent("samples/demo.fa.gz").path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--format bigwig needs -o FILE.bw: the file is written in one pass and patched at the end"))
        #expect(result.stdout.isEmpty)
    }
}
