import Foundation
import TestSupport
import Testing

/// `annotate scan` on the bundled demo genome (samples/, made by scripts/make-samples.py).
@Suite struct ScanCommandTests {
    static let demo = Annotate.repository.appendingPathComponent("samples/demo.fa.gz").path
    static let truth = Annotate.repository.appendingPathComponent("samples/demo.truth.bed").path
    static let site = "AAAGAGGAAGTT"

    struct BedLine {
        var chrom: String, start: Int, end: Int, name: String, score: Int, strand: String, probability: Double

        init?(_ line: Substring) {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 7, let start = Int(f[1]), let end = Int(f[2]), let score = Int(f[4]), let p = Double(f[6]) else { return nil }
            (chrom, self.start, self.end, name, self.score, strand, probability) = (f[0], start, end, f[3], score, f[5], p)
        }
    }

    /// The demo genome's records, decompressed with the system's gzip.
    static let genome: [(name: String, bases: String)] = {
        guard let output = try? Annotate.shell("gzip -dc '\(demo)'") else { return [] }
        var records = [(name: String, bases: String)]()
        for block in output.split(separator: ">") {
            let lines = block.split(separator: "\n")
            guard let header = lines.first?.split(separator: " ").first else { continue }
            records.append((String(header), lines.dropFirst().joined()))
        }
        return records
    }()

    static let defaultScan: (status: Int32, lines: [BedLine], stderr: String) = {
        guard let output = try? Annotate.run(["scan", demo]) else { return (-1, [], "") }
        return (output.status, output.stdout.split(separator: "\n").compactMap(BedLine.init), output.stderr)
    }()

    /// Sizes that would exhaust memory or hang are refused in one line, before any work.
    @Test func absurdChunkSizesThreadCountsAndModelSizesAreRefused() throws {
        for (arguments, message) in [
            (["--chunk-size", "9999999999999"], "--chunk-size must be 1 to 16777216 bases"),
            (["--chunk-size", "0"], "--chunk-size must be 1 to 16777216 bases"),
            (["--threads", "10000000"], "--threads must be 1 to 1024"),
        ] {
            let result = try Annotate.run(["scan"] + arguments + [ScanCommandTests.demo])
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
        let folder = try Scratch.directory()
        let model = folder.appendingPathComponent("huge.json").path
        // The built-in model's file, as compiled in (the raw string in BuiltinModel.swift).
        let source = try String(contentsOf: Annotate.repository.appendingPathComponent("Sources/Model/BuiltinModel.swift"), encoding: .utf8)
        let opening = try #require(source.range(of: "builtinModelFile = #\"\"\"\n"))
        let closing = try #require(source.range(of: "\n\"\"\"#", range: opening.upperBound..<source.endIndex))
        let json = String(source[opening.upperBound..<closing.lowerBound])
        try json.replacingOccurrences(of: "\"filters\": 32", with: "\"filters\": 4611686018427387904")
            .write(toFile: model, atomically: true, encoding: .utf8)
        let result = try Annotate.run(["scan", "--model", model, ScanCommandTests.demo])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("annotate scan: \(model): invalid model file: invalid architecture: layer 1 (conv1d)"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func everyPlantedSiteIsCalledOnItsStrandAndLittleElse() throws {
        let scan = ScanCommandTests.defaultScan
        #expect(scan.status == 0)
        #expect(scan.stderr.contains("annotate scan: 3 records, 1000000 bases"))
        let truth = try String(contentsOfFile: ScanCommandTests.truth, encoding: .utf8).split(separator: "\n").map { line in
            let f = line.split(separator: "\t")
            return (chrom: String(f[0]), start: Int(f[1]) ?? -1, end: Int(f[2]) ?? -1, strand: String(f[5]))
        }
        #expect(truth.count >= 40)
        for site in truth {
            let covering = scan.lines.filter {
                $0.chrom == site.chrom && $0.strand == site.strand && $0.start <= site.start && $0.end >= site.end && $0.probability >= 0.5
            }
            #expect(!covering.isEmpty, "planted site \(site.chrom):\(site.start)-\(site.end) (\(site.strand)) is not covered")
        }
        // The old built-in model wrote 4,844 regions here; now at most a few overlap no planted site.
        let others = scan.lines.filter { line in
            !truth.contains { $0.chrom == line.chrom && $0.strand == line.strand && $0.start < line.end && line.start < $0.end }
        }
        #expect(others.count <= 3, "\(others.count) regions overlap no planted site")
    }

    @Test func everyExactOccurrenceOfTheSiteIsFound() throws {
        let scan = ScanCommandTests.defaultScan
        let reverseSite = String(ScanCommandTests.site.reversed().map { ["A": "T", "C": "G", "G": "C", "T": "A"][$0] ?? "N" })
        var occurrences = 0
        for record in ScanCommandTests.genome {
            let upper = Array(record.bases.uppercased().utf8)
            for (pattern, strand) in [(ScanCommandTests.site, "+"), (reverseSite, "-")] {
                let p = Array(pattern.utf8)
                var i = 0
                while i + p.count <= upper.count {
                    if upper[i] == p[0], Array(upper[i..<i + p.count]) == p {
                        occurrences += 1
                        let found = scan.lines.contains { $0.chrom == record.name && $0.strand == strand && $0.start <= i && $0.end >= i + p.count }
                        #expect(found, "\(record.name):\(i) \(strand) not found")
                    }
                    i += 1
                }
            }
        }
        #expect(occurrences >= 40)
    }

    /// Every region names its site: the planted 12-mer's own coordinates, strand and
    /// sequence, to the base; narrowPeak's peak is the site's centre; the table says the same.
    @Test func everyCallNamesItsSiteToTheBase() throws {
        let truth = try String(contentsOfFile: ScanCommandTests.truth, encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: "\t").map(String.init)
        }
        let scan = try Annotate.run(["scan", "--quiet", ScanCommandTests.demo])
        let rows = scan.stdout.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        #expect(scan.status == 0 && rows.count >= 40)
        var named = 0
        for f in rows {
            #expect(f.count == 11)
            guard f.count == 11, let start = Int(f[1]), let end = Int(f[2]), let siteStart = Int(f[9]) else { continue }
            #expect(start <= siteStart && siteStart + 12 <= end && f[10].count == 12)
            if truth.contains(where: { $0[0] == f[0] && $0[1] == f[9] && $0[2] == String(siteStart + 12) && $0[5] == f[5] }) {
                #expect(f[10] == ScanCommandTests.site, "\(f)")
                named += 1
            }
        }
        // Every planted site is called, each by a region whose site is exactly it.
        #expect(named == truth.count, "\(named) of \(truth.count) regions name their planted site")
        let peaks = try Annotate.run(["scan", "--quiet", "--format", "narrowpeak", ScanCommandTests.demo]).stdout.split(separator: "\n")
        #expect(peaks.count == rows.count)
        for (peak, row) in zip(peaks, rows) {
            let f = peak.split(separator: "\t").map(String.init)
            #expect(Array(f.prefix(9)) == Array(row.prefix(9)) && Int(f[9]) == (Int(row[9]) ?? 0) + 6 - (Int(row[1]) ?? 0))
        }
        let table = try Annotate.run(["scan", "--quiet", "--format", "tsv", ScanCommandTests.demo]).stdout.split(separator: "\n")
        #expect(table.first == "chrom\tstart\tend\tname\tstrand\tprobability\tp_value\tq_value\tsite_start\tsite_end\tsite_sequence")
        #expect(table.count == rows.count + 1)
        for (line, row) in zip(table.dropFirst(), rows) {
            let f = line.split(separator: "\t").map(String.init)
            #expect(f.count == 11 && f[0..<4] == row[0..<4] && f[4] == row[5] && f[5] == row[6])
            #expect(f[8] == row[9] && Int(f[9]) == (Int(row[9]) ?? 0) + 12 && f[10] == row[10])
            let p = try #require(Double(f[6])), q = try #require(Double(f[7])), minusLog10P = try #require(Double(row[7]))
            #expect(abs(-log10(p) - minusLog10P) < 0.01 && q >= p && q <= 1)
        }
        // GFF3: 1-based and inclusive, the same regions and sites.
        let gff = try Annotate.run(["scan", "--quiet", "--format", "gff3", ScanCommandTests.demo]).stdout.split(separator: "\n")
        #expect(gff.first == "##gff-version 3" && gff.count == rows.count + 1)
        for (line, row) in zip(gff.dropFirst(), rows) {
            let f = line.split(separator: "\t").map(String.init)
            #expect(f.count == 9 && f[0] == row[0] && f[1] == "annotate" && f[2] == "TF_binding_site" && f[6] == row[5] && f[7] == ".")
            #expect(Int(f[3]) == (Int(row[1]) ?? 0) + 1 && f[4] == row[2] && f[5] == row[6])
            let attributes = Dictionary(uniqueKeysWithValues: f[8].split(separator: ";").map { pair in
                let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
                return (kv[0], kv.count > 1 ? kv[1] : "")
            })
            #expect(attributes["Name"] == row[3] && attributes["probability"] == row[6] && attributes["site_sequence"] == row[10])
            #expect(attributes["site_start"] == String((Int(row[9]) ?? 0) + 1) && attributes["site_end"] == String((Int(row[9]) ?? 0) + 12))
            #expect(attributes["ID"] == "\(row[3]):\(row[0]):\(f[3])-\(f[4]):\(row[5])" && attributes["p_value"] != nil && attributes["q_value"] != nil)
        }
        let bare = try Annotate.run(["scan", "--quiet", "--no-stats", "--format", "tsv", ScanCommandTests.demo]).stdout.split(separator: "\n")
        #expect(bare.first == "chrom\tstart\tend\tname\tstrand\tprobability\tsite_start\tsite_end\tsite_sequence")
        #expect(bare.count == table.count)
    }

    @Test func endsStayInsideChromosomesAndScoresMatchProbabilities() {
        let lengths = Dictionary(uniqueKeysWithValues: ScanCommandTests.genome.map { ($0.name, $0.bases.count) })
        #expect(lengths.values.reduce(0, +) == 1_000_000)
        for line in ScanCommandTests.defaultScan.lines {
            #expect(line.start >= 0 && line.start < line.end && line.end <= lengths[line.chrom] ?? 0)
            #expect(line.score == Int((line.probability * 1000).rounded()) || abs(Double(line.score) - line.probability * 1000) <= 0.5 + 1e-9)
            #expect(line.probability >= 0.5 && line.name == "global")
        }
    }

    @Test func gzipPlainAndStdinGiveIdenticalOutput() throws {
        let directory = try Scratch.directory()
        let plain = directory.appendingPathComponent("demo.fa").path
        let bgzf = directory.appendingPathComponent("demo.bgzf.gz").path
        _ = try Annotate.shell("gzip -dc '\(ScanCommandTests.demo)' > '\(plain)'")
        let reference = try Annotate.run(["scan", "--quiet", ScanCommandTests.demo])
        #expect(reference.status == 0)
        #expect(reference.stdout.count > 1000)
        #expect(try Annotate.run(["scan", "--quiet", plain]).stdout == reference.stdout)
        let demoData = try Data(contentsOf: URL(fileURLWithPath: ScanCommandTests.demo))
        #expect(try Annotate.run(["scan", "--quiet"], stdin: demoData).stdout == reference.stdout)
        #expect(try Annotate.run(["scan", "--quiet", "-"], stdin: try Data(contentsOf: URL(fileURLWithPath: plain))).stdout == reference.stdout)
        if Annotate.hasTool("bgzip") {
            _ = try Annotate.shell("bgzip -c '\(plain)' > '\(bgzf)'")
            #expect(try Annotate.run(["scan", "--quiet", bgzf]).stdout == reference.stdout)
        }
        for threads in ["1", "2"] {
            for chunk in ["1000", "65536"] {
                let output = try Annotate.run(["scan", "--quiet", "--threads", threads, "--chunk-size", chunk, ScanCommandTests.demo])
                #expect(output.stdout == reference.stdout, "threads \(threads) chunk \(chunk)")
            }
        }
    }

    @Test(.enabled(if: Annotate.hasTool("bedtools") && Annotate.hasTool("bgzip") && Annotate.hasTool("tabix"), "bedtools, bgzip or tabix missing; apt-get install bedtools tabix"),
          arguments: ["bed", "narrowpeak", "bedgraph"])
    func outputIsSortedAndIndexable(format: String) throws {
        let directory = try Scratch.directory()
        let path = directory.appendingPathComponent("out.\(format)").path
        let scan = try Annotate.run(["scan", "--quiet", "--format", format, "--step", format == "bedgraph" ? "10" : "1", "-o", path, ScanCommandTests.demo])
        #expect(scan.status == 0, "\(scan.stderr)")
        // bedtools sort compares starts only, with an unstable std::sort, so lines that share
        // a start (a + and a - region, say) may come back in either order. Everything else
        // must be unchanged: the same lines, and the same (chrom, start) sequence.
        let sorted = try Annotate.shell("bedtools sort -i '\(path)'")
        let original = try String(contentsOfFile: path, encoding: .utf8)
        func blocks(_ text: String) -> [[Substring]] {
            var out = [[Substring]]()
            var key: Substring?
            for line in text.split(separator: "\n") {
                let lineKey = line.split(separator: "\t").prefix(2).joined(separator: "\t")[...]
                if lineKey == key { out[out.count - 1].append(line) } else { out.append([line]) }
                key = lineKey
            }
            return out.map { $0.sorted() }
        }
        #expect(blocks(sorted) == blocks(original))
        #expect(try Annotate.shell("sort -c -k1,1 -k2,2n -k3,3n -k6,6 '\(path)' && echo ok") == "ok\n")
        _ = try Annotate.shell("bgzip -f '\(path)' && tabix -p bed '\(path).gz'")
        #expect(FileManager.default.fileExists(atPath: path + ".gz.tbi"))
        let query = try Annotate.shell("tabix '\(path).gz' chr2:100000-200000 | head -1")
        #expect(query.hasPrefix("chr2\t"))
    }

    /// bedtools reads the BED and the GFF3 as they are, with and without statistics (a BED
    /// line of twelve columns would be BED12 to it, and stop it): intersect finds every planted
    /// site on its strand in both, and getfasta reads each region's site at its coordinates
    /// as the BED names it.
    @Test(.enabled(if: Annotate.hasTool("bedtools"), "bedtools missing; apt-get install bedtools"), arguments: [[], ["--no-stats"]])
    func bedtoolsReadsTheRegionsAndTheirSites(arguments: [String]) throws {
        let directory = try Scratch.directory()
        let bed = directory.appendingPathComponent("out.bed").path, genome = directory.appendingPathComponent("demo.fa").path
        let sites = directory.appendingPathComponent("sites.bed").path
        let scan = try Annotate.run(["scan", "--quiet", "-o", bed] + arguments + [ScanCommandTests.demo])
        #expect(scan.status == 0, "\(scan.stderr)")
        _ = try Annotate.shell("gzip -dc '\(ScanCommandTests.demo)' > '\(genome)'")
        let truth = try String(contentsOfFile: ScanCommandTests.truth, encoding: .utf8).split(separator: "\n").count
        let gff = directory.appendingPathComponent("out.gff3").path
        #expect(try Annotate.run(["scan", "--quiet", "--format", "gff3", "-o", gff] + arguments + [ScanCommandTests.demo]).status == 0)
        for calls in [bed, gff] {
            let found = try Annotate.shell("bedtools intersect -u -s -a '\(ScanCommandTests.truth)' -b '\(calls)' | wc -l")
            #expect(Int(found.trimmingCharacters(in: .whitespacesAndNewlines)) == truth, "\(calls)")
        }
        // The site's own BED6 (start, start + length, the sequence as its name, the region's strand).
        _ = try Annotate.shell("awk 'BEGIN { OFS = \"\\t\" } { print $1, $(NF - 1), $(NF - 1) + length($NF), $NF, 0, $6 }' '\(bed)' > '\(sites)'")
        let read = try Annotate.shell("bedtools getfasta -s -tab -name -fi '\(genome)' -bed '\(sites)'").split(separator: "\n")
        #expect(read.count >= truth)
        for line in read {
            let f = line.split(separator: "\t")
            #expect(f.count == 2 && f[0].split(separator: ":").first.map(String.init) == f[1].uppercased(), "\(line)")
        }
    }

    @Test func badInputIsOneLineAndLeavesNoOutputFile() throws {
        let directory = try Scratch.directory()
        let truncated = directory.appendingPathComponent("truncated.fa.gz").path
        let data = try Data(contentsOf: URL(fileURLWithPath: ScanCommandTests.demo))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: truncated))
        let out = directory.appendingPathComponent("out.bed").path
        let result = try Annotate.run(["scan", "-o", out, truncated])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("annotate scan: \(truncated): gzip stream is truncated"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["truncated.fa.gz"])

        let notFasta = try Annotate.run(["scan", "-"], stdin: Data("ACGT\n".utf8))
        #expect(notFasta.status == 1)
        #expect(notFasta.stderr == "annotate scan: stdin: line 1: not FASTA: sequence data before the first '>' header\n")
        let badByte = try Annotate.run(["scan", "-"], stdin: Data(">chr9 x\nACGT\nAC1T\n".utf8))
        #expect(badByte.stderr == "annotate scan: stdin: record chr9, line 3, column 3: '1' is not a sequence letter\n")
        let emptyName = try Annotate.run(["scan", "-"], stdin: Data(">\nACGT\n".utf8))
        #expect(emptyName.stderr == "annotate scan: stdin: line 1: FASTA header with an empty name; write a name right after '>'\n")
    }

    @Test func closedStdoutEndsQuietly() throws {
        let output = try Annotate.shell("'\(Annotate.binary.path)' scan --threshold 0 --no-merge '\(ScanCommandTests.demo)' | head -2; echo \"status ${PIPESTATUS[0]}\"")
        #expect(output.hasSuffix("status 0\n"))
        #expect(output.split(separator: "\n").count == 3)
    }

    @Test func trackLineAndName() throws {
        let output = try Annotate.run(["scan", "--quiet", "--track-line", "--name", "PU1", "--format", "narrowpeak", ScanCommandTests.demo])
        let lines = output.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("track type=narrowPeak name=\"PU1\"") == true)
        for line in lines.dropFirst() {
            let f = line.split(separator: "\t")
            #expect(f.count == 10)
            // pValue and qValue are −log10 p and −log10 q, and q ≥ p.
            let minusLogP = Double(f[7]) ?? -1, minusLogQ = Double(f[8]) ?? -1
            #expect(f[3] == "PU1" && minusLogP > 0 && minusLogQ >= 0 && minusLogQ <= minusLogP)
            let start = Int(f[1]) ?? 0, end = Int(f[2]) ?? 0, peak = Int(f[9]) ?? -1
            #expect(peak >= 25 && start + peak <= end - 25)
        }
    }

    /// A step longer than the window leaves bases unscanned, and the scan says how many; a
    /// scan with no input at a terminal says what to give instead of waiting.
    @Test func aLongStepAndNoInputAreSaid() throws {
        let demo = Annotate.repository.appendingPathComponent("samples/demo.fa.gz").path
        let long = try Annotate.run(["scan", "--no-stats", "--step", "60", demo])
        #expect(long.status == 0 && long.stderr.contains("note: --step 60 is longer than the model's 50-bp window, so 10 bases between windows are never scored"),
                "\(long.stderr)")
        let tiling = try Annotate.run(["scan", "--no-stats", "--step", "50", demo])
        #expect(tiling.status == 0 && !tiling.stderr.contains("note:"))
        // `script` gives the scan a terminal for stdin (util-linux, in every Debian).
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else {
            print("script (util-linux) not installed; the terminal case is skipped")
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", Annotate.binary.path + " scan", "/dev/null"]
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1 && text.contains("annotate scan: no input: give a FASTA file"), "\(text)")
    }
}

extension Annotate {
    /// Runs a bash command line and returns its stdout; throws on a non-zero exit.
    static func shell(_ command: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", command]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        struct Failed: Error { var command: String; var status: Int32 }
        guard process.terminationStatus == 0 else { throw Failed(command: command, status: process.terminationStatus) }
        return String(decoding: data, as: UTF8.self)
    }

    static func hasTool(_ name: String) -> Bool {
        (try? shell("command -v \(name)")) != nil
    }
}
