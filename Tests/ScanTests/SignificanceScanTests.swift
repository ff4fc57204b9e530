import Background
import Foundation
import GenomeIO
import Model
import Scoring
import Significance
import TestSupport
import Testing
import Tracks

/// p- and q-values as a scan writes them.
@Suite struct SignificanceScanTests {
    /// Background DNA from an order-2 Markov chain with a random transition table tilted to
    /// `gc` (not the decoys' order-3 fit), with `sites` copies of the seed's site planted
    /// (half of them reverse-complemented) at least 200 bp apart.
    static func background(records: [(length: Int, gc: Double)], sites: Int = 0, seed: UInt32) -> (fasta: String, sites: [(String, Int, Bool)]) {
        var random = MersenneTwister(seed: seed)
        var text = "", planted: [(String, Int, Bool)] = []
        let letters = Array("ACGT".utf8)
        for (index, record) in records.enumerated() {
            let weights = [(1 - record.gc) / 2, record.gc / 2, record.gc / 2, (1 - record.gc) / 2]
            let table = (0..<16).map { _ in
                let raw = weights.map { $0 * (0.4 + 1.2 * random.nextDouble()) }
                let sum = raw.reduce(0, +)
                return raw.map { $0 / sum }
            }
            var bases = [UInt8](), context = 0
            bases.reserveCapacity(record.length)
            for _ in 0..<record.length {
                let u = random.nextDouble()
                var base = 0, cumulative = table[context][0]
                while base < 3 && u >= cumulative { base += 1; cumulative += table[context][base] }
                bases.append(letters[base])
                context = (context * 4 + base) & 15
            }
            let name = "bg\(index)"
            for k in 0..<(index == 0 ? sites : 0) {
                let start = 500 + k * (record.length - 1000) / max(sites, 1)
                let reverse = k % 2 == 1
                let site = Array((reverse ? "AACTTCCTCTTT" : "AAAGAGGAAGTT").utf8)
                for i in site.indices { bases[start + i] = site[i] }
                planted.append((name, start, reverse))
            }
            text += ">\(name)\n" + String(decoding: bases, as: UTF8.self) + "\n"
        }
        return (text, planted)
    }

    struct Line {
        let chromosome: String, start: Int, end: Int, reverse: Bool, probability: Double, minusLogP: Double, minusLogQ: Double

        init(_ text: Substring) {
            let f = text.split(separator: "\t")
            chromosome = String(f[0])
            start = Int(f[1]) ?? -1
            end = Int(f[2]) ?? -1
            reverse = f[5] == "-"
            probability = Double(f[6]) ?? -1
            minusLogP = Double(f[7]) ?? -1
            minusLogQ = Double(f[8]) ?? -1
        }
    }

    static func lines(_ output: String) -> [Line] { output.split(separator: "\n").map(Line.init) }

    /// On background at 30 % and 65 % G+C, each record's share of windows with p ≤ α is α
    /// (`--no-merge`), and so is its count of merged regions with p ≤ α per window scored:
    /// a region's p-value is the chance that a window position starts a run of windows
    /// scoring as high as its best (`ClusterTally`).
    ///
    /// Windows are checked at α = 0.01 only: a position-invariant model gives the ~40
    /// windows that hold a word one score, so at 10⁻³ the windows of 3 Mbp are ~75
    /// independent events (and the decoys' ~25), too few to check to ±40 %. Regions are
    /// those events, counted once: ~900 of them at 3·10⁻⁴, ~300 at 10⁻⁴. (Regions are
    /// merged from windows with p ≤ 0.01: well below that level, each cluster of high
    /// windows is a region of its own.)
    @Test func pValuesAreCalibratedOnBackgroundOfEachComposition() throws {
        let genome = SignificanceScanTests.background(records: [(1_500_000, 0.30), (1_500_000, 0.65)], seed: 21)
        let tests = 2.0 * Double(1_500_000 - 49)
        let windows = SignificanceScanTests.lines(try GenomeScanTests.scan(genome.fasta) { $0.output.maximumP = 0.01; $0.output.merge = false })
        let regions = SignificanceScanTests.lines(try GenomeScanTests.scan(genome.fasta) { $0.output.maximumP = 0.01 })
        for record in ["bg0", "bg1"] {
            for (lines, kind, alpha, low, high) in [(windows, "windows", 0.01, 0.85, 1.18), (regions, "regions", 0.0003, 0.8, 1.25),
                                                    (regions, "regions", 0.0001, 0.7, 1.4)] {
                let ratio = Double(lines.count { $0.chromosome == record && $0.minusLogP >= -log10(alpha) - 1e-9 }) / tests / alpha
                print("\(record): \(kind) with p ≤ \(alpha): \(ratio) × expected")
                #expect(ratio > low && ratio < high, "\(record), \(kind), α = \(alpha)")
            }
        }
    }

    /// Every planted site is a region at q ≤ 0.05, and background gives next to nothing.
    ///
    /// An exact copy of the site turns up by chance at 4⁻¹² ≈ 6·10⁻⁸ per strand and
    /// position, so no honest p-value of a site is below that, nor the q-value of R sites
    /// among m tests below m · 6·10⁻⁸ / R; beyond the decoys' reach (10⁶ windows) the
    /// p-values are extrapolated, erring large. At 40 sites in 1.5 Mbp the q-values pass
    /// with room to spare.
    @Test func plantedSitesPassAQValueCut() throws {
        let genome = SignificanceScanTests.background(records: [(1_000_000, 0.45), (500_000, 0.55)], sites: 40, seed: 5)
        let lines = SignificanceScanTests.lines(try GenomeScanTests.scan(genome.fasta) { $0.output.maximumQ = 0.05; $0.output.maximumP = 0.001 })
        for (record, start, reverse) in genome.sites {
            #expect(lines.contains { $0.chromosome == record && $0.reverse == reverse && $0.start <= start && $0.end >= start + 12 },
                    "site at \(record):\(start)")
        }
        let others = lines.filter { line in !genome.sites.contains { $0.0 == line.chromosome && line.start <= $0.1 && line.end >= $0.1 + 12 } }
        // Background of this size holds a few site-like words by chance (an exact copy, or
        // CAGAGGAAGTT, at about 1 in 10⁵ windows), which are real discoveries as far as the
        // background is concerned; and a q-value cut of 0.05 over ~45 calls lets about 2
        // false ones through.
        for line in others { print("other:", line) }
        #expect(others.count <= 4)
        #expect(lines.allSatisfy { $0.minusLogQ >= -log10(0.05) - 1e-9 && $0.minusLogQ <= $0.minusLogP })
    }

    /// `--max-q` keeps exactly the regions whose q-value passes, with the same columns.
    @Test func aQValueCutKeepsTheRegionsWhoseQValuePasses() throws {
        let genome = SignificanceScanTests.background(records: [(400_000, 0.5)], sites: 30, seed: 8)
        // A threshold low enough that background regions come with the sites, with all kinds of q-values.
        let all = try GenomeScanTests.scan(genome.fasta) { $0.output.threshold = 1e-12 }
        // A cut at the median q-value, as printed (4 decimals of −log10 q).
        let minusLogQ = all.split(separator: "\n").map { SignificanceScanTests.Line($0).minusLogQ }.sorted()
        let median = minusLogQ[minusLogQ.count / 2]
        let cut = try GenomeScanTests.scan(genome.fasta) { $0.output.threshold = 1e-12; $0.output.maximumQ = pow(10, -(median - 0.00005)) }
        let kept = all.split(separator: "\n").filter { SignificanceScanTests.Line($0).minusLogQ >= median }
        #expect(!kept.isEmpty && kept.count < all.split(separator: "\n").count)
        #expect(cut.split(separator: "\n") == kept)
    }

    /// `--max-p` without merging writes exactly the windows that have p ≤ the cut.
    @Test func aPValueCutKeepsTheWindowsWhosePValuePasses() throws {
        let genome = SignificanceScanTests.background(records: [(60_000, 0.4)], sites: 5, seed: 3)
        let all = SignificanceScanTests.lines(try GenomeScanTests.scan(genome.fasta) { $0.output.threshold = 0; $0.output.merge = false })
        let cut = SignificanceScanTests.lines(try GenomeScanTests.scan(genome.fasta) { $0.output.maximumP = 1e-3; $0.output.merge = false })
        func key(_ line: Line) -> String { "\(line.start) \(line.reverse) \(line.minusLogP)" }
        #expect(all.count == 2 * (60_000 - 49))
        #expect(cut.map(key) == all.filter { $0.minusLogP >= 3 }.map(key))
        #expect(cut.count > 20)
    }

    /// The same bytes for any thread count, chunk size and kernel.
    @Test func statisticsNeverDependOnThreadsChunksOrTheKernel() throws {
        let genome = SignificanceScanTests.background(records: [(200_000, 0.4), (70_001, 0.6), (300, 0.5)], sites: 12, seed: 9)
        for format in [OutputFormat.bed, .narrowpeak] {
            func scan(threads: Int, chunk: Int?, reference: Bool) throws -> String {
                try GenomeScanTests.scan(genome.fasta) {
                    $0.output.format = format
                    $0.output.maximumQ = 0.25
                    $0.scoring.threads = threads
                    $0.scoring.chunkBases = chunk
                    $0.scoring.referenceKernelOnly = reference
                }
            }
            let base = try scan(threads: 2, chunk: nil, reference: false)
            #expect(!base.isEmpty)
            #expect(try scan(threads: 1, chunk: 997, reference: false) == base, "\(format)")
            #expect(try scan(threads: 3, chunk: 65_536, reference: true) == base, "\(format)")
        }
    }

    /// The summary says how many decoys were scored and how many calls background explains.
    @Test func theSummaryCountsDecoysAndExpectedFalseCalls() throws {
        let genome = SignificanceScanTests.background(records: [(300_000, 0.5)], sites: 10, seed: 2)
        let input = try Scratch.file(Array(genome.fasta.utf8))
        var options = ScanSettings()
        options.output.maximumQ = 0.05
        let output = try OutputFile(path: input + ".bed")
        let summary = try options.scan(try Network.builtin()).run(inputs: [input], output: output)
        try output.commit()
        // A fifth of the windows, or the 100,000-window floor.
        #expect((summary.decoyWindows ?? 0) >= 100_000)
        #expect((summary.expectedFalse ?? 99) < 1)
        #expect(summary.description.contains("expected from background"))
        options.output.statistics = false
        let plain = try options.scan(try Network.builtin()).run(inputs: [input], output: try OutputFile(path: input + ".plain.bed"))
        #expect(plain.decoyWindows == nil && !plain.description.contains("background"))
    }

    /// The statistics file holds each written line's exact p and q, the tests and the
    /// decoys: enough to recompute every q-value from the p-values.
    @Test func theStatisticsFileLetsAMergeRecomputeQValues() throws {
        let genome = SignificanceScanTests.background(records: [(200_000, 0.45), (100_000, 0.6)], sites: 8, seed: 6)
        let input = try Scratch.file(Array(genome.fasta.utf8))
        var options = ScanSettings()
        options.output.threshold = 0.02
        let output = try OutputFile(path: input + ".bed"), sidecar = try OutputFile(path: input + ".stats")
        let summary = try options.scan(try Network.builtin()).run(inputs: [input], output: output, statistics: sidecar)
        try output.commit()
        try sidecar.commit()
        let lines = SignificanceScanTests.lines(try String(contentsOfFile: input + ".bed", encoding: .utf8))
        let records = try String(contentsOfFile: input + ".stats", encoding: .utf8).split(separator: "\n").map { $0.split(separator: "\t") }
        #expect(records.first == ["#annotate-statistics", "1"])
        let units = records.filter { $0.first == "unit" }
        let tests = records.first { $0.first == "tests" }.flatMap { Int($0[1]) }
        #expect(tests == summary.windowsScored)
        #expect(units.count == lines.count && lines.count > 8)
        let p = units.map { Double($0[2]) ?? -1 }, q = units.map { Double($0[3]) ?? -1 }
        let bh = BenjaminiHochberg(pValues: p, tests: tests ?? 0)
        for (i, line) in lines.enumerated() {
            #expect(abs(-log10(p[i]) - line.minusLogP) <= 0.00005 + 1e-12 && abs(-log10(q[i]) - line.minusLogQ) <= 0.00005 + 1e-12)
            #expect(bh.qValue(p[i]) == q[i])
        }
        let bins = records.filter { $0.first == "bin" }
        #expect(!bins.isEmpty && records.contains { $0.first == "class" })
        // Each bin's decoys add up to its count.
        for bin in bins {
            let total = bin[4].split(separator: ",").reduce(0) { $0 + (Int($1.split(separator: ":")[1]) ?? 0) }
            #expect(total == Int(bin[3]))
        }
    }

    /// A scan with statistics reads its input once, making the background from the bases as
    /// it reads them and giving the regions their p-values at the end. That gives the bytes,
    /// statistics file included, that a scan against the same background made first gives:
    /// regions in one block, in two, and whole records of four blocks (every window passing).
    @Test(arguments: [(OutputFormat.bed, true, Float(0.5)), (.narrowpeak, true, 0.02), (.bed, false, 0.02), (.bed, true, 0)])
    func oneReadingGivesWhatABackgroundMadeFirstGives(format: OutputFormat, merge: Bool, threshold: Float) throws {
        let genome = SignificanceScanTests.background(records: [(200_000, 0.4), (70_001, 0.6), (300, 0.5), (140_000, 0.5)],
                                                      sites: 12, seed: 5)
        let input = try Scratch.file(Array(genome.fasta.utf8))
        var options = ScanSettings()
        options.output.format = format
        options.output.merge = merge
        options.output.threshold = threshold
        let network = try Network.builtin()
        let backgroundPath = input + ".background"
        let file = try OutputFile(path: backgroundPath)
        _ = try BackgroundBuilder(network: network, step: 1, strands: .both, skipSoftMasked: false, threads: 2)
            .write(inputs: [input], shard: nil, to: file)
        try file.commit()
        func scan(background: String?, _ name: String) throws -> (output: String, statistics: String, decoys: Int?) {
            let output = try OutputFile(path: input + name), statistics = try OutputFile(path: input + name + ".stats")
            let summary = try options.scan(network).run(inputs: [input], output: output, statistics: statistics, background: background)
            try output.commit()
            try statistics.commit()
            return (try String(contentsOfFile: input + name, encoding: .utf8),
                    try String(contentsOfFile: input + name + ".stats", encoding: .utf8), summary.decoyWindows)
        }
        let once = try scan(background: nil, ".once"), first = try scan(background: backgroundPath, ".first")
        #expect(!once.output.isEmpty && once.statistics.contains("unit\t"))
        #expect(once.output == first.output)
        #expect(once.statistics == first.statistics)
        #expect(once.decoys == first.decoys && (once.decoys ?? 0) >= 100_000)
        if threshold == 0 {
            // Every window passes: one region a record and strand, the longest over four blocks.
            #expect(once.output.split(separator: "\n").count == 8)
        }
    }
}
