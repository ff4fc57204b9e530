import Foundation
import TestSupport
import Testing

/// `scan --format bigwig`: the bedGraph's values, read back by pyBigWig.
@Suite struct BigWigOutputTests {
    /// Runs a pyBigWig check script; it prints "ok" when every assertion held.
    static func check(_ script: String, _ context: String) throws {
        let result = try runTool("/usr/bin/python3", ["-c", script])
        #expect(result.status == 0, "\(context): \(result.err)")
        #expect(result.out.hasPrefix("ok"))
    }

    @Test(.enabled(if: hasPyBigWig, "pyBigWig (Debian python3-pybigwig) not installed; skipped"), arguments: [["--step", "1"], ["--step", "10", "--strand", "-"], ["--step", "5", "--strand", "max"], ["--step", "100"]])
    func pyBigWigReadsWhatTheBedGraphSays(arguments: [String]) throws {
        let folder = try Scratch.directory()
        let genome = folder.appendingPathComponent("g.fa").path
        try syntheticGenome(records: [150_000, 3_000, 60_000], seed: 12).write(toFile: genome, atomically: true, encoding: .utf8)
        // The demo at step 1, a generated genome (a short record, N runs, soft-masking) at step 10.
        for input in arguments[1] == "1" ? [Annotate.repository.appendingPathComponent("samples/demo.fa.gz").path] : [genome] {
            let bigWig = folder.appendingPathComponent("t.bw").path, bedGraph = folder.appendingPathComponent("t.bedGraph").path
            let a = try Annotate.run(["scan", "--quiet", "--format", "bigwig", "-o", bigWig] + arguments + [input])
            let b = try Annotate.run(["scan", "--quiet", "--format", "bedgraph", "-o", bedGraph] + arguments + [input])
            #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
            if arguments.last == "max" { try BigWigOutputTests.expectLargerStrand(bedGraph, input: input, step: arguments[1]) }
            let script = """
                import bisect, pyBigWig
                bw = pyBigWig.open("\(bigWig)")
                assert bw.isBigWig()
                rows = {}
                order = []
                for line in open("\(bedGraph)"):
                    c, s, e, v = line.split()
                    if c not in rows: order.append(c)
                    rows.setdefault(c, []).append((int(s), int(e), float(v)))
                chroms = bw.chroms()
                assert set(chroms) >= set(rows), (chroms, list(rows))
                for c, length in chroms.items():
                    got = bw.intervals(c) or ()
                    want = rows.get(c, [])
                    assert [(s, e) for s, e, v in got] == [(s, e) for s, e, v in want], c
                    # Both hold the probability to 4 decimals; bigWig as the nearest Float.
                    assert all(abs(v - w) <= 1e-7 for (_, _, v), (_, _, w) in zip(got, want)), c
                    assert all(e <= length for s, e, v in got), c
                    if not want: continue
                    values = bw.values(c, 0, length)
                    for s, e, v in want[::997]: assert abs(values[s] - v) <= 1e-7
                    starts = [s for s, e, v in want]
                    for level in range(bw.header()["nLevels"]):
                        r = 10 * int("\(arguments[1])") * 4 ** level
                        for start, end in [(0, length), (r, 3 * r), (0, r)]:
                            if end > length: continue
                            # Values are on a grid of span = step, so those overlapping [start, end)
                            # start in [start - step + 1, end).
                            lo = bisect.bisect_left(starts, start - int("\(arguments[1])") + 1)
                            hi = bisect.bisect_left(starts, end)
                            inside = [v for s, e, v in want[lo:hi] if s < end and e > start]
                            for kind in ["max", "min", "mean"]:
                                exact = bw.stats(c, start, end, type=kind, exact=True)[0]
                                zoomed = bw.stats(c, start, end, type=kind)[0]
                                if not inside:
                                    assert exact is None, (c, start, end)
                                    continue
                                expected = {"max": max(inside), "min": min(inside)}.get(kind)
                                if expected is not None: assert abs(exact - expected) <= 1e-7, (c, kind, exact, expected)
                                assert abs(exact - zoomed) <= 1e-5 * max(abs(exact), 1e-6) + 1e-7, (c, start, end, kind, exact, zoomed)
                print("ok", len(chroms))
                """
            try BigWigOutputTests.check(script, "\(input) \(arguments)")
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
            let script = """
                import pyBigWig
                bb = pyBigWig.open("\(bigBed)")
                assert bb.isBigBed()
                rows = [line.rstrip("\\n").split("\\t") for line in open("\(bed)")]
                names = []
                for r in rows:
                    if r[0] not in names: names.append(r[0])
                chroms = bb.chroms()
                assert set(names) <= set(chroms), (names, chroms)
                total = 0
                for c, length in chroms.items():
                    got = bb.entries(c, 0, length) or []
                    want = [(int(r[1]), int(r[2]), "\\t".join(r[3:])) for r in rows if r[0] == c]
                    assert got == want, (c, got[:2], want[:2])
                    total += len(got)
                assert total == len(rows) and total > 0, total
                sql = bb.SQL().decode()
                fields = [line.split()[1].rstrip(";") for line in sql.splitlines() if line.strip().startswith(("string", "uint", "char", "float"))]
                width = len(rows[0])
                assert fields[:width] == ["chrom", "chromStart", "chromEnd", "name", "score", "strand", "probability", "minusLog10P", "minusLog10Q"][:width], fields
                assert len(fields) == width, (fields, width)
                print("ok", total)
                """
            try BigWigOutputTests.check(script, "\(input) \(arguments)")
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
