import Foundation
import TestSupport
import Testing

/// `annotate index` and `annotate fetch` against samtools faidx (Debian samtools).
@Suite struct IndexCommandTests {
    static let samtools = ["/usr/bin/samtools", "/usr/local/bin/samtools"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let bgzip = ["/usr/bin/bgzip", "/usr/local/bin/bgzip"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: samtools != nil && bgzip != nil, "samtools or bgzip (Debian samtools, tabix) not installed; skipped"))
    func samtoolsAndAnnotateReadEachOthersIndexes() throws {
        let folder = try Scratch.directory()
        let lengths = [200_000, 3_000, 77_777]
        let plain = folder.appendingPathComponent("g.fa").path, packed = folder.appendingPathComponent("g.fa.gz").path
        try syntheticGenome(records: lengths, seed: 21, width: 70).write(toFile: plain, atomically: true, encoding: .utf8)
        _ = try runTool("/bin/sh", ["-c", "\(IndexCommandTests.bgzip ?? "") -c \(plain) > \(packed)"])
        // 50 regions of 1 bp to 20 kbp, some whole records, some past the end.
        var state: UInt64 = 5
        let regions = (0..<50).map { k -> String in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let r = Int(state >> 40) % lengths.count, begin = 1 + Int(state >> 20) % lengths[r]
            if k % 10 == 0 { return "r\(r)" }
            return "r\(r):\(begin)-\(begin + [0, 10, 999, 20_000][k % 4])"
        }
        for path in [plain, packed] {
            let indexed = try Annotate.run(["index", path])
            #expect(indexed.status == 0 && indexed.stderr.isEmpty, "\(indexed.stderr)")
            let ours = try Annotate.run(["fetch", path] + regions)
            #expect(ours.status == 0, "\(ours.stderr)")
            // samtools reads our indexes, and returns the same records.
            let theirs = try runTool(IndexCommandTests.samtools ?? "", ["faidx", path] + regions)
            #expect(theirs.status == 0, "\(theirs.err)")
            #expect(theirs.out == ours.stdout, "\(path)")
            #expect(ours.stdout.filter { $0 == ">" }.count == 50)
            // samtools' own indexes are byte-identical to ours, and annotate reads them.
            let suffixes = path == packed ? [".fai", ".gzi"] : [".fai"]
            let mine = try suffixes.map { try Data(contentsOf: URL(fileURLWithPath: path + $0)) }
            for suffix in suffixes { try FileManager.default.removeItem(atPath: path + suffix) }
            #expect(try runTool(IndexCommandTests.samtools ?? "", ["faidx", path]).status == 0)
            #expect(try suffixes.map { try Data(contentsOf: URL(fileURLWithPath: path + $0)) } == mine, "\(path)")
            #expect(try Annotate.run(["fetch", path] + regions).stdout == ours.stdout)
        }
    }

    @Test func plainGzipAndMissingIndexesSayWhatToDo() throws {
        let folder = try Scratch.directory()
        let path = folder.appendingPathComponent("p.fa.gz").path
        _ = try runTool("/bin/sh", ["-c", "printf '>a\\nACGT\\n' | gzip -c > \(path)"])
        let indexed = try Annotate.run(["index", path])
        #expect(indexed.status == 1)
        #expect(indexed.stderr.contains("annotate index: \(path): cannot index: this is plain gzip, which cannot be read at random; recompress it as BGZF"))
        #expect(!FileManager.default.fileExists(atPath: path + ".fai"))
        let plain = folder.appendingPathComponent("p.fa").path
        try ">a\nACGT\n".write(toFile: plain, atomically: true, encoding: .utf8)
        let fetched = try Annotate.run(["fetch", plain, "a:1-2"])
        #expect(fetched.status == 1)
        #expect(fetched.stderr.contains("\(plain).fai: no index; make one with annotate index \(plain)"))
        #expect(try Annotate.run(["index", plain]).status == 0)
        #expect(try Annotate.run(["fetch", plain, "a:2-3"]).stdout == ">a:2-3\nCG\n")
        let unknown = try Annotate.run(["fetch", plain, "b:1-2"])
        #expect(unknown.status == 1 && unknown.stderr.contains("region b:1-2: no record named b"))
    }
}
