import BrowserFormats
import Foundation
import TestSupport
import Testing

/// BGZF files with our own tabix index, queried with htslib's `tabix`.
@Suite struct TabixIndexTests {
    static let tabix = ["/usr/bin/tabix", "/usr/local/bin/tabix"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Sorted BED lines over `chromosomes` (name, length), about `perChromosome` each, of
    /// lengths 1 to 3,000, with a track line first when `trackLine`.
    static func lines(_ chromosomes: [(String, Int)], perChromosome: Int, seed: UInt64) -> [(chromosome: Int, begin: Int, end: Int, text: String)] {
        var state = seed
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33)
        }
        var out: [(Int, Int, Int, String)] = []
        for (c, (name, length)) in chromosomes.enumerated() {
            var starts = (0..<perChromosome).map { _ in next() % length }
            starts.sort()
            for start in starts {
                let end = min(length, start + 1 + next() % 3_000)
                out.append((c, start, end, "\(name)\t\(start)\t\(end)\tr\(out.count)\t\(next() % 1000)\t+\n"))
            }
        }
        return out
    }

    /// Blocks compressed in batches on all cores make the same members, and the same
    /// virtual offset for every position, as blocks compressed one at a time.
    @Test func batchedCompressionWritesTheSameMembers() throws {
        let lines = TabixIndexTests.lines([("chr1", 5_000_000), ("chr2", 800_000)], perChromosome: 30_000, seed: 8)
        var files: [[UInt8]] = []
        var offsets: [[UInt64?]] = []
        for batch in [1, 5, 32] {
            var data: [UInt8] = []
            let writer = BGZFWriter(batch: batch) { data += $0 }
            var positions: [BGZFWriter.Position] = []
            for line in lines {
                try writer.write(Array(line.text.utf8))
                positions.append(writer.position)
            }
            try writer.flushBlock()
            offsets.append(positions.map { writer.virtualOffset(at: $0) })
            try writer.finish()
            files.append(data)
        }
        #expect(lines.reduce(0) { $0 + $1.text.utf8.count } > 20 * BGZF.blockSize, "more than 20 members")
        #expect(files[1] == files[0] && files[2] == files[0])
        #expect(offsets[0].allSatisfy { $0 != nil })
        #expect(offsets[1] == offsets[0] && offsets[2] == offsets[0])
    }

    /// Writes `lines` as BGZF with an index beside it; returns the file's path.
    static func write(_ lines: [(chromosome: Int, begin: Int, end: Int, text: String)], chromosomes: [(String, Int)],
                      header: String = "", name: String) throws -> (path: String, kind: TabixIndex.Kind) {
        let folder = try Scratch.directory()
        let path = folder.appendingPathComponent(name).path
        var data = Data()
        let writer = BGZFWriter { data.append(contentsOf: $0) }
        try writer.write(Array(header.utf8))
        var index = TabixIndex(firstOffset: writer.virtualOffset, longestChromosome: chromosomes.map(\.1).max() ?? 0,
                               columns: TabixIndex.Columns(skip: header.isEmpty ? 0 : 1))
        for (name, _) in chromosomes { index.addChromosome(name) }
        for line in lines {
            try writer.write(Array(line.text.utf8))
            try index.push(chromosome: line.chromosome, begin: line.begin, end: line.end, endOffset: writer.virtualOffset)
        }
        try writer.flushBlock()
        index.finish(finalOffset: writer.virtualOffset)
        try writer.finish()
        try data.write(to: URL(fileURLWithPath: path))
        var indexData = Data()
        let indexWriter = BGZFWriter { indexData.append(contentsOf: $0) }
        try indexWriter.write(index.bytes())
        try indexWriter.finish()
        try indexData.write(to: URL(fileURLWithPath: path + (index.kind == .tbi ? ".tbi" : ".csi")))
        return (path, index.kind)
    }

    static func run(_ arguments: [String]) throws -> ToolOutput { try runTool(tabix ?? "/usr/bin/tabix", arguments) }

    @Test func bgzfMembersInflateToTheInput() throws {
        var data = Data()
        let writer = BGZFWriter { data.append(contentsOf: $0) }
        let input = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        try writer.write(input)
        try writer.finish()
        #expect(data.suffix(28) == Data(BGZF.endOfFile))
        #expect(Array(data.prefix(4)) == [0x1F, 0x8B, 0x08, 0x04])
        let path = try Scratch.file(Array(data), name: "x.gz")
        #expect(Array(try runTool("/bin/gzip", ["-dc", path]).data) == input)
        // Every member says its own size: walking them lands exactly on the end.
        var offset = 0, members = 0
        while offset < data.count {
            let size = Int(data[offset + 16]) | Int(data[offset + 17]) << 8
            offset += size + 1
            members += 1
        }
        #expect(offset == data.count && members == 200_000 / BGZF.blockSize + 2)
    }

    @Test(.enabled(if: tabix != nil, "tabix (Debian tabix) not installed; skipped"), arguments: [false, true])
    func tabixAnswersRegionsFromOurIndex(longChromosome: Bool) throws {
        let chromosomes = longChromosome ? [("chr1", 700_000_000), ("chr2", 90_000)] : [("chr1", 2_000_000), ("chrX", 90_000), ("c3", 400_000)]
        let lines = TabixIndexTests.lines(chromosomes, perChromosome: 6_000, seed: longChromosome ? 2 : 1)
        let (path, kind) = try TabixIndexTests.write(lines, chromosomes: chromosomes, header: "track name=x\n", name: "t.bed.gz")
        #expect(kind == (longChromosome ? .csi : .tbi))
        var state: UInt64 = 7
        for query in 0..<25 {
            state = state &* 6364136223846793005 &+ 1
            let c = Int(state >> 40) % chromosomes.count
            let length = chromosomes[c].1
            let begin = Int(state >> 20) % length, span = [1, 500, 20_000, 300_000][query % 4]
            let end = min(length, begin + span)
            let expected = lines.filter { $0.chromosome == c && $0.begin < end && $0.end > begin }.map(\.text).joined()
            // tabix regions are 1-based and inclusive.
            let result = try TabixIndexTests.run([path, "\(chromosomes[c].0):\(begin + 1)-\(end)"])
            #expect(result.status == 0, "\(result.err)")
            #expect(result.out == expected, "\(chromosomes[c].0):\(begin + 1)-\(end): \(result.out.count) bytes, expected \(expected.count)")
        }
        // A whole chromosome, and the list of chromosomes.
        let whole = try TabixIndexTests.run([path, chromosomes[0].0])
        #expect(whole.out == lines.filter { $0.chromosome == 0 }.map(\.text).joined())
        #expect(try TabixIndexTests.run(["-l", path]).out == chromosomes.map { $0.0 + "\n" }.joined())
    }

    @Test func unsortedAndInterleavedLinesAreRefused() throws {
        var index = TabixIndex(firstOffset: 0, longestChromosome: 1_000)
        index.addChromosome("a")
        index.addChromosome("b")
        try index.push(chromosome: 0, begin: 10, end: 20, endOffset: 10)
        #expect(throws: TabixIndex.IndexError.unsorted(chromosome: 0, start: 5)) { try index.push(chromosome: 0, begin: 5, end: 20, endOffset: 20) }
        try index.push(chromosome: 1, begin: 1, end: 2, endOffset: 30)
        #expect(throws: TabixIndex.IndexError.chromosomeNotContiguous(chromosome: 0)) {
            try index.push(chromosome: 0, begin: 30, end: 40, endOffset: 40)
        }
    }

    /// A TBI file's content as text: the header, then per reference its bins in ascending
    /// order with their chunks, and its linear index.
    static func describe(tbi path: String) throws -> String {
        let bytes = Array(try runTool("/bin/gzip", ["-dc", path]).data)
        var at = 0
        func u32() -> UInt32 { defer { at += 4 }; return (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) } }
        func u64() -> UInt64 { defer { at += 8 }; return (0..<8).reduce(0) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) } }
        var text = String(decoding: bytes[0..<4], as: UTF8.self)
        at = 4
        let references = Int(u32())
        let header = (0..<7).map { _ in u32() }
        text += " refs \(references) conf \(header)\n"
        at += Int(header[6])
        for r in 0..<references {
            var bins: [(UInt32, [(UInt64, UInt64)])] = []
            for _ in 0..<Int(u32()) {
                let bin = u32()
                bins.append((bin, (0..<Int(u32())).map { _ in (u64(), u64()) }))
            }
            text += "ref \(r)\n"
            for (bin, chunks) in bins.sorted(by: { $0.0 < $1.0 }) { text += "  bin \(bin): \(chunks.map { "\($0.0)-\($0.1)" })\n" }
            text += "  linear \((0..<Int(u32())).map { _ in u64() })\n"
        }
        return text
    }

    /// Our index holds what `tabix -p bed` builds for the same file, bin for bin.
    @Test(.enabled(if: tabix != nil, "tabix (Debian tabix) not installed; skipped"))
    func ourIndexIsTheOneTabixBuilds() throws {
        let chromosomes = [("chr1", 3_000_000), ("chr2", 200_000)]
        let lines = TabixIndexTests.lines(chromosomes, perChromosome: 9_000, seed: 5)
        let (path, _) = try TabixIndexTests.write(lines, chromosomes: chromosomes, header: "track name=x\n", name: "o.bed.gz")
        let copy = path.replacingOccurrences(of: "o.bed.gz", with: "copy.bed.gz")
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        let built = try TabixIndexTests.run(["-p", "bed", "-S", "1", copy])
        #expect(built.status == 0, "\(built.err)")
        let ours = try TabixIndexTests.describe(tbi: path + ".tbi"), theirs = try TabixIndexTests.describe(tbi: copy + ".tbi")
        #expect(ours == theirs)
        #expect(ours.contains("linear [") && ours.contains("bin 37450"), "linear index and pseudo-bin")
    }
}
