import BrowserFormats
import Foundation
import TestSupport
import Testing

/// In-memory storage for tests; it reads back in pieces of 1,000 bytes, which split the
/// R-tree's 32-byte items.
final class MemoryOutput: PatchableOutput, SpillStorage {
    var bytes: [UInt8] = []
    var position: Int { bytes.count }
    var size: Int { bytes.count }
    func append(_ more: [UInt8]) { bytes += more }
    func patch(at offset: Int, _ more: [UInt8]) { bytes.replaceSubrange(offset..<(offset + more.count), with: more) }
    func readBack(_ body: ([UInt8]) throws -> Void) throws {
        for start in stride(from: 0, to: bytes.count, by: 1000) { try body(Array(bytes[start..<min(start + 1000, bytes.count)])) }
    }
}

/// bigWig files read back by pyBigWig (Debian python3-pybigwig, libBigWig).
@Suite struct BigWigTests {
    @Test(.enabled(if: hasPyBigWig, "pyBigWig (Debian python3-pybigwig) not installed; skipped"))
    func pyBigWigReadsEveryIntervalAndSummary() throws {
        // Four chromosomes: values on a step-7 grid as a scan's bedGraph has them (fixedStep
        // sections), with a gap, on one long enough for a two-level R-tree and several zoom
        // levels; and one of uneven intervals and gaps, with short even runs among them
        // (bedGraph sections).
        let chromosomes: [(String, Int)] = [("chr1", 2_000_000), ("chrM", 16_571), ("c3", 300_000), ("uneven", 400_000)]
        let output = MemoryOutput()
        let writer = try BigWigWriter(output: output, firstReduction: 70) { MemoryOutput() }
        var expected = ""
        var state: UInt64 = 3
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 40
        }
        for (name, length) in chromosomes {
            try writer.beginChromosome(name)
            var start = 3
            while start + 20 <= length {
                let span = name == "uneven" && next() % 3 == 0 ? 1 + Int(next() % 20) : 7
                if name == "chr1" && start > 200_000 && start < 260_000 { start += 7; continue }
                let value = Float(next()) / Float(1 << 24)
                try writer.add(start: start, end: start + span, value: value)
                expected += "\(name)\t\(start)\t\(start + span)\t\(value.bitPattern)\n"
                start += span + (name == "uneven" && next() % 5 == 0 ? Int(next() % 30) : 0)
            }
            try writer.endChromosome(length: length)
        }
        try writer.finish()
        let folder = try Scratch.directory()
        let path = folder.appendingPathComponent("t.bw").path
        try Data(output.bytes).write(to: URL(fileURLWithPath: path))
        try expected.write(toFile: path + ".expected", atomically: true, encoding: .utf8)
        let script = """
            import pyBigWig, struct, math, sys
            bw = pyBigWig.open("\(path)")
            assert bw.isBigWig(), "not a bigWig"
            h = bw.header()
            print("header", h["version"], h["nLevels"], h["nBasesCovered"])
            print("chroms", sorted(bw.chroms().items()))
            rows = {}
            for line in open("\(path).expected"):
                c, s, e, bits = line.split()
                rows.setdefault(c, []).append((int(s), int(e), struct.unpack("<f", struct.pack("<I", int(bits)))[0]))
            for c, length in bw.chroms().items():
                got = bw.intervals(c)
                assert [(s, e) for s, e, v in got] == [(s, e) for s, e, v in rows[c]], c
                assert all(v == w for (_, _, v), (_, _, w) in zip(got, rows[c])), c
                vals = bw.values(c, 0, length)
                for s, e, v in rows[c][:50]:
                    assert vals[s] == v and vals[e - 1] == v, (c, s)
                # Statistics from the zoom levels against the exact ones: over the whole
                # chromosome and over ranges on every zoom level's bin boundaries, where a
                # zoom record is all or nothing of the range.
                ranges = [(0, length)]
                for level in range(h["nLevels"]):
                    r = 70 * 4 ** level
                    if 3 * r <= length: ranges += [(r, 3 * r), (0, r)]
                for start, end in ranges:
                    for kind in ["max", "min", "mean", "coverage"]:
                        exact = bw.stats(c, start, end, type=kind, exact=True)[0]
                        zoomed = bw.stats(c, start, end, type=kind)[0]
                        if exact is None or zoomed is None:
                            assert exact is None and zoomed is None, (c, start, end, kind, exact, zoomed)
                        elif kind in ("max", "min"):
                            assert exact == zoomed, (c, start, end, kind, exact, zoomed)
                        else:
                            assert abs(exact - zoomed) <= 1e-5 * abs(exact), (c, start, end, kind, exact, zoomed)
            print("ok")
            """
        let result = try runTool("/usr/bin/python3", ["-c", script])
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("ok"))
        print(result.out)
    }
}

/// bigBed files read back by pyBigWig.
@Suite struct BigBedTests {
    /// A record that reaches past the later sections' records is still found: the R-tree's
    /// nodes bound the greatest end below them, not the last one's (here in a two-level tree
    /// of 300 sections).
    @Test(.enabled(if: hasPyBigWig, "pyBigWig (Debian python3-pybigwig) not installed; skipped"))
    func aLongRecordIsFoundPastTheLaterOnes() throws {
        let output = MemoryOutput()
        let writer = try BigBedWriter(output: output, fieldCount: 4, definedFieldCount: 4,
                                      autoSql: "table t\n\"t\"\n(\nstring chrom; \"c\"\nuint chromStart; \"s\"\nuint chromEnd; \"e\"\nstring name; \"n\"\n)\n",
                                      firstReduction: 1000) { MemoryOutput() }
        writer.setLength(20_000_000, of: "c")
        try writer.add(chromosome: "c", start: 0, end: 19_000_000, rest: ArraySlice("long".utf8))
        for k in 0..<(300 * 512) {
            try writer.add(chromosome: "c", start: 100 + 50 * k, end: 120 + 50 * k, rest: ArraySlice("r\(k)".utf8))
        }
        try writer.finish()
        let path = try Scratch.directory().appendingPathComponent("t.bb").path
        try Data(output.bytes).write(to: URL(fileURLWithPath: path))
        let script = """
            import pyBigWig
            bb = pyBigWig.open("\(path)")
            assert bb.entries("c", 18_000_000, 18_000_010) == [(0, 19_000_000, "long")], bb.entries("c", 18_000_000, 18_000_010)
            assert len(bb.entries("c", 0, 20_000_000)) == 300 * 512 + 1
            assert bb.entries("c", 110, 111) == [(0, 19_000_000, "long"), (100, 120, "r0")]
            print("ok")
            """
        let result = try runTool("/usr/bin/python3", ["-c", script])
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("ok"))
    }
}
