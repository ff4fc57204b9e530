import BrowserFormats
import Foundation
import GenomeIO
import Model
import TestSupport
import Testing

/// `FastaIndex`, `BGZFBlockIndex` and `IndexedFasta`: samtools faidx's `.fai` and `.gzi`,
/// built, read and used for random access, and checked against samtools where it is installed.
@Suite struct FastaIndexTests {
    static let samtools = ["/usr/bin/samtools", "/usr/local/bin/samtools"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Records of several line widths and line ends, a last line without a newline, an
    /// empty record (which samtools leaves out), a description, soft-masking and N runs.
    static func fasta() -> (text: String, records: [(name: String, bases: [UInt8])]) {
        var records: [(String, [UInt8])] = []
        var text = ""
        for (index, (length, width, crlf)) in [(10_000, 60, false), (3_001, 70, true), (1, 60, false), (0, 60, false), (70_000, 80, false), (59, 60, false)].enumerated() {
            let name = "seq\(index)"
            let body = syntheticGenome(records: [max(length, 1)], seed: UInt32(index + 5)).split(separator: "\n").dropFirst().joined()
            let bases = Array(body.utf8.prefix(length))
            records.append((name, bases))
            text += ">\(name) some description\(crlf ? "\r\n" : "\n")"
            for start in stride(from: 0, to: bases.count, by: width) {
                text += String(decoding: bases[start..<min(start + width, bases.count)], as: UTF8.self) + (crlf ? "\r\n" : "\n")
            }
            if index == 1 { text += "\n" }  // a blank line between records
        }
        text.removeLast()  // the last line without its newline
        return (text, records.filter { !$0.1.isEmpty })
    }

    /// The FASTA as BGZF, written with our own BGZF writer.
    static func bgzf(_ text: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        let writer = BGZFWriter { bytes += $0 }
        try writer.write(Array(text.utf8))
        try writer.finish()
        return bytes
    }

    @Test func indexesAsSamtoolsDoesAndReadsAnyRegion() throws {
        let folder = try Scratch.directory()
        let (text, records) = FastaIndexTests.fasta()
        let plain = folder.appendingPathComponent("g.fa").path, packed = folder.appendingPathComponent("g.fa.gz").path
        try text.write(toFile: plain, atomically: true, encoding: .utf8)
        try Data(FastaIndexTests.bgzf(text)).write(to: URL(fileURLWithPath: packed))
        for path in [plain, packed] {
            let index = try FastaIndex.build(reading: ByteStream(path: path))
            #expect(index.entries.map(\.name) == records.map(\.name), "the empty record is left out")
            #expect(index.entries.map(\.length) == records.map(\.bases.count))
            #expect(index.entries[1].lineBases == 70 && index.entries[1].lineBytes == 72, "CRLF counts in the line's bytes")
            try index.text.write(toFile: path + ".fai", atomically: true, encoding: .utf8)
            if path == packed { try Data(BGZFBlockIndex(building: path).bytes).write(to: URL(fileURLWithPath: path + ".gzi")) }
            let fasta = try IndexedFasta(path: path)
            var random = MersenneTwister(seed: 7)
            for _ in 0..<200 {
                let record = records[random.nextInt(through: records.count - 1)]
                let begin = random.nextInt(through: record.bases.count - 1)
                let end = min(record.bases.count, begin + 1 + random.nextInt(through: 2_999))
                #expect(try fasta.bases(of: record.name, from: begin, to: end) == Array(record.bases[begin..<end]), "\(record.name):\(begin)-\(end)")
            }
            #expect(try fasta.bases(of: "seq4", from: 0, to: .max) == records[3].bases)
        }
        guard let samtools = FastaIndexTests.samtools else {
            print("samtools (Debian samtools) not installed; the comparison with its indexes was skipped")
            return
        }
        // samtools' own indexes are the same bytes, and samtools reads ours.
        for path in [plain, packed] {
            let ours = try Data(contentsOf: URL(fileURLWithPath: path + ".fai"))
            let oursGzi = path == packed ? try Data(contentsOf: URL(fileURLWithPath: path + ".gzi")) : nil
            let regions = ["seq0:1-10", "seq1:3000-3001", "seq4:12,345-70,000", "seq5", "seq2:1-1"]
            let viaOurs = try runTool(samtools, ["faidx", path] + regions)
            #expect(viaOurs.status == 0, "\(viaOurs.err)")
            try FileManager.default.removeItem(atPath: path + ".fai")
            if path == packed { try FileManager.default.removeItem(atPath: path + ".gzi") }
            let built = try runTool(samtools, ["faidx", path])
            #expect(built.status == 0, "\(built.err)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: path + ".fai")) == ours)
            if let oursGzi { #expect(try Data(contentsOf: URL(fileURLWithPath: path + ".gzi")) == oursGzi) }
            let viaTheirs = try runTool(samtools, ["faidx", path] + regions)
            #expect(viaTheirs.out == viaOurs.out && viaOurs.out.hasPrefix(">seq0:1-10\n"))
            // Our reader on samtools' indexes.
            let fasta = try IndexedFasta(path: path)
            #expect(try fasta.bases(of: "seq4", from: 12_344, to: 70_000) == Array(records[3].bases[12_344...]))
        }
    }

    @Test(arguments: [
        (">a\nACGT\nAC\nACGT\n", "record a, line 4: cannot index: a line follows a shorter line or a blank line"),
        (">a\nACGT\nACGTA\n", "record a, line 3: cannot index: this line is longer than the record's first (4 bases)"),
        (">a\nACGT\n\nACGT\n", "record a, line 4: cannot index: a line follows a shorter line or a blank line"),
        (">a\nAC*T\n", "record a, line 2: cannot index: column 3: '*' is not a sequence letter"),
        ("@r\nACGT\n+\nIIII\n", "line 1: cannot index: this is FASTQ"),
        (">a\nACGT\n>b\n", "record b, line 3: cannot index: the last record has no sequence"),
        (">a\nACGT\n>a\nAC\n", "record a, line 3: cannot index: a second record named a"),
    ])
    func unindexableFastaIsNamedWithItsLine(text: String, message: String) throws {
        let path = try Scratch.directory().appendingPathComponent("bad.fa").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            _ = try FastaIndex.build(reading: ByteStream(path: path))
        } throws: { error in
            "\(error)".hasPrefix("\(path): \(message)")
        }
    }

    @Test(arguments: [
        ("a\t4\t3\t4\t5\n", ""),
        ("a\tfour\t3\t4\t5\n", "line 1: not a faidx index line"),
        ("a\t4\t3\n", "line 1: not a faidx index line"),
        ("a\t9223372036854775807\t0\t1\t3\n", "line 1: the record's offsets do not fit in 63 bits"),
        ("a\t4\t3\t4\t5\na\t4\t3\t4\t5\n", "line 2: record a is indexed twice"),
        ("a\t8\t3\t4\t5\n", "record a is not where the index says"),
        ("a\t4\t0\t4\t5\n", "record a is not where the index says"),
    ])
    func badIndexesAreNamedNotTrusted(fai: String, message: String) throws {
        let folder = try Scratch.directory()
        let path = folder.appendingPathComponent("g.fa").path
        try ">a\nACGT\n".write(toFile: path, atomically: true, encoding: .utf8)
        try fai.write(toFile: path + ".fai", atomically: true, encoding: .utf8)
        if message.isEmpty {
            #expect(try IndexedFasta(path: path).bases(of: "a", from: 1, to: 3) == Array("CG".utf8))
            return
        }
        #expect {
            _ = try IndexedFasta(path: path).bases(of: "a", from: 0, to: 8)
        } throws: { error in
            "\(error)".hasPrefix("\(path).fai: ") && "\(error)".contains(message)
        }
    }

    /// An index whose lines are not the file's (found by fuzz/faidx.swift: one byte more per
    /// line gave the bases of the next line's start) throws, even for a range inside one
    /// line: the lines read are checked from the line end before them to the one after.
    @Test(arguments: [
        ("a\t25\t3\t10\t11\n", 12, 15, "GCC"),
        ("a\t20\t3\t10\t11\n", 15, 20, "CAAAT"),
        ("b\t2\t34\t1\t1\n", 1, 2, "C"),
        ("a\t25\t3\t10\t12\n", 12, 15, nil),
        ("a\t25\t3\t12\t13\n", 0, 5, nil),
        ("a\t25\t3\t9\t10\n", 0, 5, nil),
        ("a\t25\t4\t10\t11\n", 12, 15, nil),
        ("a\t25\t14\t10\t11\n", 20, 25, nil),
        ("a\t26\t3\t10\t11\n", 20, 26, nil),
        ("a\t25\t3\t11\t11\n", 23, 25, nil),
    ] as [(String, Int, Int, String?)])
    func indexesOfOtherLinesThrowInsteadOfGivingOtherBases(fai: String, begin: Int, end: Int, bases: String?) throws {
        let path = try Scratch.directory().appendingPathComponent("g.fa").path
        try ">a\nACGTACGTAC\nGGGCCCAAAT\nTTGCA\n>b\nAC\n".write(toFile: path, atomically: true, encoding: .utf8)
        try fai.write(toFile: path + ".fai", atomically: true, encoding: .utf8)
        let name = String(fai.prefix(1))
        guard let bases else {
            #expect {
                _ = try IndexedFasta(path: path).bases(of: name, from: begin, to: end)
            } throws: { error in
                "\(error)".hasPrefix("\(path).fai: ") && "\(error)".contains("record \(name) is not where the index says")
            }
            return
        }
        #expect(try IndexedFasta(path: path).bases(of: name, from: begin, to: end) == Array(bases.utf8))
    }

    /// In a line longer than `RangeReader.margin`, what is read around a range stops that far
    /// from it, and the bases are still the file's, plain and BGZF.
    @Test func longLinesAreReadAroundTheRange() throws {
        let folder = try Scratch.directory()
        let bases = Array(syntheticGenome(records: [300_000], seed: 9).split(separator: "\n").dropFirst().joined().utf8.prefix(300_000))
        let text = ">long\n" + String(decoding: bases, as: UTF8.self) + "\n>short\nACGT\n"
        let plain = folder.appendingPathComponent("g.fa").path, packed = folder.appendingPathComponent("g.fa.gz").path
        try text.write(toFile: plain, atomically: true, encoding: .utf8)
        try Data(FastaIndexTests.bgzf(text)).write(to: URL(fileURLWithPath: packed))
        for path in [plain, packed] {
            try FastaIndex.build(reading: ByteStream(path: path)).text.write(toFile: path + ".fai", atomically: true, encoding: .utf8)
            if path == packed { try Data(BGZFBlockIndex(building: path).bytes).write(to: URL(fileURLWithPath: path + ".gzi")) }
            let fasta = try IndexedFasta(path: path)
            for (begin, end) in [(0, 10), (150_000, 150_010), (70_000, 230_000), (299_990, 300_000), (0, 300_000)] {
                #expect(try fasta.bases(of: "long", from: begin, to: end) == Array(bases[begin..<end]), "\(begin)-\(end)")
            }
        }
    }

    @Test func plainGzipIsNotBGZF() throws {
        let path = try Scratch.directory().appendingPathComponent("plain.fa.gz").path
        _ = try runTool("/bin/sh", ["-c", "printf '>a\\nACGT\\n' | gzip -c > \(path)"])
        #expect {
            _ = try BGZFBlockIndex(building: path)
        } throws: { error in
            "\(error)".contains("this is plain gzip, which cannot be read at random; recompress it as BGZF")
        }
    }

    @Test func regionsAreParsedAsSamtoolsWritesThem() throws {
        let names: Set = ["chr1", "HLA:A*01", "chr2"]
        func parse(_ text: String) throws -> GenomeRegion { try GenomeRegion(parsing: text, path: "g.fa") { names.contains($0) } }
        #expect(try parse("chr1").name == "chr1" && parse("chr1").begin == 0 && parse("chr1").end == nil)
        #expect(try parse("chr1:1,001-2,000").begin == 1000 && parse("chr1:1,001-2,000").end == 2000)
        #expect(try parse("chr2:5").begin == 4 && parse("chr2:5").end == nil)
        #expect(try parse("chr2:5-").end == nil)
        #expect(try parse("HLA:A*01").name == "HLA:A*01")
        #expect(try parse("HLA:A*01:3-4").name == "HLA:A*01")
        for bad in ["chrX", "chr1:0-5", "chr1:10-5", "chr1:a-b", "chr1:-5"] {
            #expect(throws: GenomeIOError.self, "\(bad)") { try parse(bad) }
        }
    }

    /// A `--regions` BED file with CRLF line ends reads as with LF (found by fuzz/regions.swift:
    /// split as Characters, a CR and its LF were one, so such a file was one long line, refused
    /// at line 1, or took a line end into a name).
    @Test func bedFilesWithCRLFLineEndsReadAsWithLF() throws {
        let lf = "track name=x\nchr1\t10\t20\tname\nchr2\t0\t5\n"
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
        let expected = [("chr1", 10, 20), ("chr2", 0, 5)]
        for text in [lf, crlf] {
            let intervals = try ScanRegions.bedIntervals(path: Scratch.file(Array(text.utf8), name: "regions.bed"))
            #expect(intervals.map(\.name) == expected.map(\.0) && intervals.map(\.begin) == expected.map(\.1) && intervals.map(\.end) == expected.map(\.2))
        }
        let path = try Scratch.file(Array("chr1\t0\t5\r\nc\r\n\t0\t100\r\n".utf8), name: "bad.bed")
        #expect {
            _ = try ScanRegions.bedIntervals(path: path)
        } throws: { error in
            "\(error)" == "\(path): region line 2: not a BED interval (chromosome, 0-based start, end after it, tab-separated)"
        }
    }
}

