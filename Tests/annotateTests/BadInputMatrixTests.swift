import Foundation
import TestSupport
import Testing

/// Every kind of bad input, tried as a user would: each gets its exit status, one line on
/// stderr that names the file (and the record, line and column where they apply), and no
/// output file, not even a temporary one.
@Suite struct BadInputMatrixTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// Fixture files: name → bytes, written into a fresh folder.
        var files: [String: [UInt8]]
        /// The command line; `OUT` is the output file the test watches.
        var arguments: [String]
        var status: Int32
        /// What the first stderr line must contain.
        var message: String

        var testDescription: String { name }
    }

    static let fasta = Array(">r1 first\nACGTACGTAC\n".utf8)
    static let sequences = Array((String(repeating: "ACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTAC\n", count: 4)).utf8)

    static let cases: [Case] = [
        Case(name: "missing input", files: [:], arguments: ["scan", "-o", "OUT", "nope.fa"], status: 1, message: "nope.fa: cannot open"),
        Case(name: "text that is not FASTA", files: ["in.fa": Array("hello\n>r\nACGT\n".utf8)], arguments: ["scan", "-o", "OUT", "in.fa"],
             status: 1, message: "in.fa: line 1: not FASTA: sequence data before the first '>' header"),
        Case(name: "zstd", files: ["in.fa.zst": [0x28, 0xB5, 0x2F, 0xFD, 0, 0]], arguments: ["scan", "-o", "OUT", "in.fa.zst"],
             status: 1, message: "in.fa.zst: this is zstd-compressed"),
        Case(name: "bzip2", files: ["in.fa.bz2": Array("BZh91AY&SY".utf8)], arguments: ["scan", "-o", "OUT", "in.fa.bz2"],
             status: 1, message: "in.fa.bz2: this is bzip2-compressed"),
        Case(name: "xz", files: ["in.fa.xz": [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0, 0]], arguments: ["scan", "-o", "OUT", "in.fa.xz"],
             status: 1, message: "in.fa.xz: this is xz-compressed"),
        Case(name: "zip", files: ["in.zip": [0x50, 0x4B, 0x03, 0x04, 0, 0]], arguments: ["scan", "-o", "OUT", "in.zip"],
             status: 1, message: "in.zip: this is zip-compressed"),
        Case(name: "FASTQ", files: ["in.fq": Array("@r1\nACGT\n+\nIIII\n".utf8)], arguments: ["scan", "-o", "OUT", "in.fq"],
             status: 1, message: "in.fq: line 1: not FASTA: this looks like FASTQ"),
        Case(name: "UTF-16", files: ["in.fa": [0xFF, 0xFE] + Array(">r\nACGT\n".utf8).flatMap { [$0, 0] }], arguments: ["scan", "-o", "OUT", "in.fa"],
             status: 1, message: "in.fa: line 1: not FASTA: this is UTF-16 text"),
        Case(name: "truncated gzip", files: ["in.fa.gz": Array(gzipped(fasta).dropLast(12))], arguments: ["scan", "-o", "OUT", "in.fa.gz"],
             status: 1, message: "in.fa.gz: gzip stream is truncated"),
        Case(name: "corrupt gzip", files: ["in.fa.gz": corrupted(gzipped(fasta))], arguments: ["scan", "-o", "OUT", "in.fa.gz"],
             status: 1, message: "in.fa.gz: gzip data is corrupt"),
        Case(name: "empty input", files: ["in.fa": []], arguments: ["scan", "-o", "OUT", "in.fa"],
             status: 1, message: "in.fa: no FASTA records: the input is empty"),
        Case(name: "empty record name", files: ["in.fa": Array(">\nACGT\n".utf8)], arguments: ["scan", "-o", "OUT", "in.fa"],
             status: 1, message: "in.fa: line 1: FASTA header with an empty name"),
        Case(name: "control byte in a name", files: ["in.fa": Array(">r\u{1B}[31m\nACGT\n".utf8)], arguments: ["scan", "-o", "OUT", "in.fa"],
             status: 1, message: "in.fa: line 1, column 3: control byte 0x1B in a record name"),
        Case(name: "megabyte record name", files: ["in.fa": Array((">" + String(repeating: "n", count: 1 << 20) + "\nACGT\n").utf8)],
             arguments: ["scan", "-o", "OUT", "in.fa"], status: 1, message: "in.fa: line 1: record name is longer than 4096 bytes"),
        Case(name: "bad sequence byte", files: ["in.fa": Array(">r1\nACGT\nAC!T\n".utf8)], arguments: ["scan", "-o", "OUT", "in.fa"],
             status: 1, message: "in.fa: record r1, line 3, column 3: '!' is not a sequence letter"),
        Case(name: "protein", files: ["in.fa": Array(">sp|P1\nMKVLAAGIVGLLLAQQPWRSTV\nEEKLMNPQRSTVWY\n".utf8)], arguments: ["scan", "-o", "OUT", "in.fa"],
             status: 1, message: "in.fa: record sp|P1, line 2: this looks like protein ('L' is no nucleotide code)"),
        Case(name: "RNA", files: ["in.fa": Array((">r1\nAGGU\n>r2\n" + String(repeating: "ACGUUAGC", count: 10) + "\n").utf8)],
             arguments: ["scan", "-o", "OUT", "in.fa"], status: 1, message: "in.fa: record r1, line 2: this looks like RNA (U, no T)"),
        Case(name: "records shorter than a window", files: ["in.fa": Array(">a\nACGTACGTACGT\n>b\nACGT\n".utf8)],
             arguments: ["scan", "-o", "OUT", "in.fa"], status: 1,
             message: "in.fa: no record is as long as the model's 50-bp window (the longest has 12 bases): nothing was scored"),
        Case(name: "N throughout", files: ["in.fa": Array((">a\n" + String(repeating: "N", count: 120) + "\n").utf8)],
             arguments: ["scan", "--no-stats", "-o", "OUT", "in.fa"], status: 1, message: "in.fa: every 50-bp window holds N: nothing was scored"),
        Case(name: "malformed model file", files: ["in.fa": fasta, "m.json": Array("{\"format\": ".utf8)],
             arguments: ["scan", "--model", "m.json", "-o", "OUT", "in.fa"], status: 1, message: "m.json: "),
        Case(name: "missing model file", files: ["in.fa": fasta], arguments: ["scan", "--model", "none.json", "-o", "OUT", "in.fa"],
             status: 1, message: "none.json: cannot open"),
        Case(name: "step 0", files: ["in.fa": fasta], arguments: ["scan", "--step", "0", "-o", "OUT", "in.fa"], status: 2,
             message: "--step must be at least 1"),
        Case(name: "step -1", files: ["in.fa": fasta], arguments: ["scan", "--step", "-1", "-o", "OUT", "in.fa"], status: 2,
             message: "--step must be at least 1"),
        Case(name: "threshold 2", files: ["in.fa": fasta], arguments: ["scan", "--threshold", "2", "-o", "OUT", "in.fa"], status: 2,
             message: "--threshold must be between 0 and 1"),
        Case(name: "max-q 0", files: ["in.fa": fasta], arguments: ["scan", "--max-q", "0", "-o", "OUT", "in.fa"], status: 2,
             message: "--max-q must be above 0 and at most 1"),
        Case(name: "max-p 2", files: ["in.fa": fasta], arguments: ["scan", "--max-p", "2", "-o", "OUT", "in.fa"], status: 2,
             message: "--max-p must be above 0 and at most 1"),
        Case(name: "max-q without statistics", files: ["in.fa": fasta], arguments: ["scan", "--no-stats", "--max-q", "0.05", "-o", "OUT", "in.fa"],
             status: 2, message: "--max-p and --max-q need statistics"),
        Case(name: "max-q on bedgraph", files: ["in.fa": fasta], arguments: ["scan", "--format", "bedgraph", "--max-q", "0.05", "-o", "OUT", "in.fa"],
             status: 2, message: "bedgraph has no statistics"),
        Case(name: "stats file without statistics", files: ["in.fa": fasta], arguments: ["scan", "--no-stats", "--stats", "S", "-o", "OUT", "in.fa"],
             status: 2, message: "--stats needs statistics"),
        Case(name: "threads 0", files: ["in.fa": fasta], arguments: ["scan", "--threads", "0", "-o", "OUT", "in.fa"], status: 2,
             message: "--threads must be 1 to 1024"),
        Case(name: "unknown option", files: ["in.fa": fasta], arguments: ["scan", "--bogus", "-o", "OUT", "in.fa"], status: 2,
             message: "Unknown option '--bogus'"),
        Case(name: "name with a space", files: ["in.fa": fasta], arguments: ["scan", "--name", "a b", "-o", "OUT", "in.fa"], status: 2,
             message: "--name must be one word"),
        Case(name: "labels do not pair up", files: ["s.txt": sequences, "l.txt": Array("1\n0\n1\n".utf8)],
             arguments: ["evaluate", "--sequences", "s.txt", "--labels", "l.txt"], status: 1, message: "s.txt has 4 sequences but l.txt has 3 labels"),
        Case(name: "blank label line", files: ["s.txt": sequences, "l.txt": Array("1\n\n0\n1\n0\n".utf8)],
             arguments: ["evaluate", "--sequences", "s.txt", "--labels", "l.txt"], status: 1, message: "l.txt: line 2"),
        Case(name: "label that is not 0 or 1", files: ["s.txt": sequences, "l.txt": Array("1\n0\n2\n0\n".utf8)],
             arguments: ["train", "--recipe", "notebook", "--sequences", "s.txt", "--labels", "l.txt", "-o", "OUT"], status: 1,
             message: "l.txt: line 3, column 1: label \"2\" is not 0 or 1"),
        Case(name: "sequences of two lengths", files: ["s.txt": Array("ACGT\nACG\n".utf8), "l.txt": Array("1\n0\n".utf8)],
             arguments: ["train", "--recipe", "notebook", "--sequences", "s.txt", "--labels", "l.txt", "-o", "OUT"], status: 1,
             message: "s.txt: line 2: sequence 2 has 3 bases; expected 4"),
        Case(name: "empty sequences for evaluate", files: ["s.txt": [], "l.txt": []],
             arguments: ["evaluate", "--sequences", "s.txt", "--labels", "l.txt"], status: 1, message: "s.txt: no sequences: the input is empty"),
        Case(name: "empty sequences for motifs", files: ["s.txt": []], arguments: ["motifs", "--sequences", "s.txt", "-o", "OUT"], status: 1,
             message: "s.txt: no sequences: the input is empty"),
        Case(name: "empty sequences for predict", files: ["s.txt": Array("\n\n".utf8)], arguments: ["predict", "s.txt"], status: 1,
             message: "s.txt: no sequences: the input is empty"),
        Case(name: "FASTQ for predict", files: ["s.fq": Array("@r1\nACGT\n".utf8)], arguments: ["predict", "s.fq"], status: 1,
             message: "s.fq: line 1, column 1: this looks like FASTQ"),
    ]

    static func gzipped(_ bytes: [UInt8]) -> [UInt8] {
        (try? gzip(bytes)) ?? []
    }

    /// A gzip stream with its deflate data damaged (the header and trailer kept).
    static func corrupted(_ gzip: [UInt8]) -> [UInt8] {
        var bytes = gzip
        for i in 12..<min(bytes.count - 8, 20) { bytes[i] ^= 0xFF }
        return bytes
    }

    @Test(arguments: cases)
    func answeredInOneLineWithNoOutput(_ test: Case) throws {
        let folder = try Scratch.directory()
        for (name, bytes) in test.files { try Data(bytes).write(to: folder.appendingPathComponent(name)) }
        let out = folder.appendingPathComponent("out.txt").path
        let arguments = test.arguments.map { $0 == "OUT" ? out : $0 }
        let result = try Annotate.run(arguments, in: folder)
        #expect(result.status == test.status, "\(test.name): \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.first?.contains(test.message) == true, "\(test.name): \(result.stderr)")
        if test.status == 1 { #expect(lines.count == 1, "\(test.name): one line, not \(result.stderr)") }
        #expect(!FileManager.default.fileExists(atPath: out), "\(test.name): no output file")
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !test.files.keys.contains($0) }
        #expect(left.isEmpty, "\(test.name): no temporary files, found \(left)")
        #expect(result.stdout.isEmpty, "\(test.name): nothing on stdout")
    }
}
