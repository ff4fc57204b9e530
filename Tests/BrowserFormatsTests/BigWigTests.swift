import BrowserFormats
import Foundation
import TestSupport
import Testing

/// In-memory storage for tests.
final class MemoryOutput: PatchableOutput, SpillStorage {
    var bytes: [UInt8] = []
    var position: Int { bytes.count }
    var size: Int { bytes.count }
    func append(_ more: [UInt8]) { bytes += more }
    func patch(at offset: Int, _ more: [UInt8]) { bytes.replaceSubrange(offset..<(offset + more.count), with: more) }
    func readBack(_ body: ([UInt8]) throws -> Void) throws { try body(bytes) }
}

/// bigWig files read back by pyBigWig (Debian python3-pybigwig, libBigWig).
@Suite struct BigWigTests {
    @Test(.enabled(if: hasPyBigWig, "pyBigWig (Debian python3-pybigwig) not installed; skipped"))
    func pyBigWigReadsEveryIntervalAndSummary() throws {
        // Three chromosomes (one with a gap, one long enough for several zoom levels), 
        // values on a step-7 grid as a scan's bedGraph has them.
        let chromosomes: [(String, Int)] = [("chr1", 1_000_000), ("chrM", 16_571), ("c3", 300_000)]
        let output = MemoryOutput()
        let writer = try BigWigWriter(output: output, firstReduction: 70) { MemoryOutput() }
        var expected = ""
        var state: UInt64 = 3
        for (name, length) in chromosomes {
            try writer.beginChromosome(name)
            var start = 3
            while start + 7 <= length {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                if name == "chr1" && start > 200_000 && start < 260_000 { start += 7; continue }
                let value = Float(state >> 40) / Float(1 << 24)
                try writer.add(start: start, end: start + 7, value: value)
                expected += "\(name)\t\(start)\t\(start + 7)\t\(value.bitPattern)\n"
                start += 7
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
