import Foundation
import TestSupport
import Testing

/// `scan -o FILE.gz`: BGZF with our own tabix index, read back by htslib's `tabix`.
@Suite struct CompressedOutputTests {
    static let tabix = ["/usr/bin/tabix", "/usr/local/bin/tabix"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let demo = Annotate.repository.appendingPathComponent("samples/demo.fa.gz").path

    /// A plain output's data lines with their chromosome and interval.
    static func parse(_ plain: String, gff: Bool = false) -> [(chromosome: Substring, begin: Int, end: Int, line: Substring)] {
        plain.split(separator: "\n").compactMap { line in
            let f = line.split(separator: "\t", maxSplits: 5)
            if gff {
                // GFF3: columns 1, 4 and 5, 1-based and inclusive.
                guard f.count >= 5, let s = Int(f[3]), let e = Int(f[4]) else { return nil }
                return (f[0], s - 1, e, line)
            }
            guard f.count >= 3, let s = Int(f[1]), let e = Int(f[2]) else { return nil }
            return (f[0], s, e, line)
        }
    }

    /// The lines that overlap [begin, end) of `chromosome`, as `tabix` prints them.
    static func overlapping(_ lines: [(chromosome: Substring, begin: Int, end: Int, line: Substring)],
                            _ chromosome: String, _ begin: Int, _ end: Int) -> String {
        lines.filter { $0.chromosome == chromosome && $0.begin < end && $0.end > begin }.map { $0.line + "\n" }.joined()
    }

    @Test(.enabled(if: tabix != nil, "tabix (Debian tabix) not installed; skipped"),
          arguments: [["--threshold", "0.05"], ["--format", "narrowpeak", "--track-line", "--threshold", "0.02"],
                      ["--format", "bedgraph", "--step", "7", "--track-line"], ["--no-merge", "--max-p", "0.001"],
                      ["--format", "tsv", "--threshold", "0.05"], ["--format", "gff3", "--threshold", "0.05"]])
    func tabixReturnsTheLinesOfThePlainOutput(arguments: [String]) throws {
        let folder = try Scratch.directory()
        let genome = folder.appendingPathComponent("g.fa").path
        try syntheticGenome(records: [500_000, 150_000, 40_000], seed: 31).write(toFile: genome, atomically: true, encoding: .utf8)
        for input in [CompressedOutputTests.demo, genome] {
            let plainPath = folder.appendingPathComponent("out.txt").path, packed = folder.appendingPathComponent("out.txt.gz").path
            let plainRun = try Annotate.run(["scan", "--quiet", "-o", plainPath] + arguments + [input])
            let packedRun = try Annotate.run(["scan", "--quiet", "-o", packed] + arguments + [input])
            #expect(plainRun.status == 0 && packedRun.status == 0, "\(plainRun.stderr) \(packedRun.stderr)")
            let plain = try String(contentsOfFile: plainPath, encoding: .utf8)
            let parsed = CompressedOutputTests.parse(plain, gff: arguments.contains("gff3"))
            #expect(FileManager.default.fileExists(atPath: packed + ".tbi"))
            #expect(try runTool("/bin/gzip", ["-dc", packed]).out == plain)
            let names = plain.split(separator: "\n").compactMap { line -> String? in
                line.hasPrefix("track") || line.hasPrefix("#") || line.hasPrefix("chrom\t") ? nil : String(line.prefix { $0 != "\t" })
            }
            var chromosomes: [String] = []
            for name in names where chromosomes.last != name { chromosomes.append(name) }
            let lengths = input == genome ? [500_000, 150_000, 40_000] : [500_000, 350_000, 150_000]
            var state: UInt64 = 99
            for query in 0..<20 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let c = Int(state >> 45) % chromosomes.count
                let name = chromosomes[c], length = lengths[min(c, lengths.count - 1)]
                let begin = Int(state >> 13) % length, end = min(length, begin + [1, 300, 5_000, 200_000][query % 4])
                let result = try runTool(CompressedOutputTests.tabix ?? "", [packed, "\(name):\(begin + 1)-\(end)"])
                #expect(result.status == 0, "\(result.err)")
                #expect(result.out == CompressedOutputTests.overlapping(parsed, name, begin, end), "\(arguments) \(name):\(begin + 1)-\(end)")
            }
            #expect(try runTool(CompressedOutputTests.tabix ?? "", ["-l", packed]).out == chromosomes.map { $0 + "\n" }.joined())
        }
    }

    @Test func bgzipToStdoutIsBGZFWithoutAnIndex() throws {
        let plain = try Annotate.run(["scan", "--quiet", "--threshold", "0.05", CompressedOutputTests.demo])
        let packed = try Annotate.shell("'\(Annotate.binary.path)' scan --quiet --bgzip --threshold 0.05 '\(CompressedOutputTests.demo)' | gzip -dc")
        #expect(packed == plain.stdout)
        let head = try Annotate.shell("'\(Annotate.binary.path)' scan --quiet --bgzip --threshold 0.05 '\(CompressedOutputTests.demo)' | head -c 16 | od -An -tx1")
        // The gzip magic, FEXTRA, and the BC extra field.
        let bytes = head.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        #expect(Array(bytes.prefix(4)) == ["1f", "8b", "08", "04"])
        #expect(bytes.count == 16 && Array(bytes[12...13]) == ["42", "43"])
    }
}
