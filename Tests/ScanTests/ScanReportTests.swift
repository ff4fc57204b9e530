import Foundation
import GenomeIO
import Model
import Scan
import Scoring
import Significance
import TestSupport
import Testing
import Tracks

/// What `scan --report` gathers: every window's logit, the q-values, the calls, and the top
/// regions with their best windows' bases, against the scan's own output.
@Suite struct ScanReportTests {
    /// A planted genome cut into many small pieces (`chunkBases`), so that regions and
    /// the runs the workers capture cross work items.
    static let genome = SignificanceScanTests.background(records: [(400_000, 0.42), (120_000, 0.55), (30_000, 0.5), (40, 0.5)], sites: 90, seed: 5)

    static func scan(_ configure: (inout ScanSettings) -> Void) throws -> (lines: [Substring], data: ScanReportData, summary: ScanSummary) {
        let input = try Scratch.file(Array(genome.fasta.utf8))
        var settings = ScanSettings()
        settings.scoring.chunkBases = 20_000
        settings.scoring.threads = 2
        configure(&settings)
        let collector = ScanReportCollector()
        let output = try OutputFile(path: input + ".bed")
        let summary = try settings.scan(try Network.builtin()).run(inputs: [input], output: output, report: collector)
        try output.commit()
        let data = try #require(collector.data)
        let text = try String(contentsOfFile: input + ".bed", encoding: .utf8)
        return (text.split(separator: "\n"), data, summary)
    }

    /// The genome's records as bytes, by name.
    static let records: [String: [UInt8]] = {
        var records: [String: [UInt8]] = [:], name = ""
        for line in genome.fasta.split(separator: "\n") {
            if line.hasPrefix(">") { name = String(line.dropFirst()) } else { records[name, default: []] += Array(line.utf8) }
        }
        return records
    }()

    @Test(arguments: [(true, true), (true, false), (false, true), (false, false)])
    func topRegionsAreTheBestLinesWithTheirWindows(statistics: Bool, merge: Bool) throws {
        let (lines, data, summary) = try ScanReportTests.scan {
            $0.output.statistics = statistics
            $0.output.merge = merge
            if statistics { $0.output.maximumP = 0.01 } else { $0.output.threshold = 0.02 }
        }
        #expect(data.genome.total == UInt64(summary.windowsScored), "every scored window is tallied once")
        #expect(data.written == lines.count && data.candidates == lines.count)
        #expect(data.records.reduce(0) { $0 + $1.calls.reduce(0) { $0 + $1.count } } == lines.count)
        #expect(data.records.map(\.name) == ["bg0", "bg1", "bg2", "bg3"] && data.records.map(\.length) == [400_000, 120_000, 30_000, 40])
        #expect(lines.count > 3 * ScanReportCollector.top, "enough lines for the top to be a choice")
        try #require(data.top.count == ScanReportCollector.top)
        // The line's sort key as written: −log10 p (4 decimals) and probability (4 decimals).
        func key(_ line: Substring) -> (Double, Double) {
            let f = line.split(separator: "\t")
            return (statistics ? Double(f[7]) ?? 0 : 0, Double(f[6]) ?? 0)
        }
        let named = Set(data.top.map { "\($0.chromosome)\t\($0.start)\t\($0.end)\t\($0.reverse ? "-" : "+")" })
        let last = try #require(data.top.last)
        let lastKey = (statistics ? -log10(last.pValue ?? 1) : 0, Double(last.probability))
        for line in lines {
            let f = line.split(separator: "\t")
            let id = "\(f[0])\t\(f[1])\t\(f[2])\t\(f[5])"
            if named.contains(id) { continue }
            // Not in the top: not better than its last (up to the lines' 4 decimals).
            let (logP, p) = key(line)
            #expect(logP < lastKey.0 + 1e-4 && (logP < lastKey.0 - 1e-4 || p <= lastKey.1 + 1e-4), "\(line) ranks above the report's 20th")
        }
        for region in data.top {
            #expect(lines.contains { $0.hasPrefix("\(region.chromosome)\t\(region.start)\t\(region.end)\t") })
            let bases = try #require(ScanReportTests.records[region.chromosome])
            let window = Array(bases[region.bestWindow..<(region.bestWindow + 50)])
            #expect(region.window == (region.reverse ? ReverseComplement.of(window) : window), "the window as the model read it")
            #expect(region.bestWindow >= region.start && region.bestWindow + 50 <= region.end)
            #expect((region.pValue != nil) == statistics && (region.qValue != nil) == statistics)
        }
        if statistics {
            #expect(data.qValues.count == data.candidates && zip(data.qValues, data.qValues.dropFirst()).allSatisfy { $0 <= $1 })
        }
    }

    @Test func qValueCurveCountsWhatAQValueCutWrites() throws {
        let all = try ScanReportTests.scan { $0.output.maximumP = 0.001 }
        for level in [0.01, 0.05, 0.2] {
            let cut = try ScanReportTests.scan { $0.output.maximumQ = level }
            let counted = all.data.qValues.count { $0 <= level }
            #expect(counted == cut.lines.count, "q ≤ \(level)")
            #expect(cut.data.written == cut.lines.count && cut.data.top.count == min(ScanReportCollector.top, cut.lines.count))
            // The top of a q cut is the top of the whole, as far as the cut reaches.
            #expect(cut.data.top.map(\.start) == Array(all.data.top.map(\.start).prefix(cut.data.top.count)))
        }
    }

    /// The fast path's logits (for windows it proves below the threshold) bin almost every
    /// window where the reference logits do.
    @Test func logitTallyMatchesTheReferenceKernel() throws {
        let fast = try ScanReportTests.scan { $0.output.statistics = false }
        let exact = try ScanReportTests.scan { $0.output.statistics = false; $0.scoring.referenceKernelOnly = true }
        #expect(fast.data.genome.total == exact.data.genome.total && fast.data.genome.total == UInt64(fast.summary.windowsScored))
        let moved = zip(fast.data.genome.counts, exact.data.genome.counts).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
        #expect(Double(moved) <= 1e-4 * Double(exact.data.genome.total), "\(moved) windows in another bin")
        // The reference's tally is every window's own logit.
        var direct = LogitHistogram()
        var exactly = ScoringOptions()
        exactly.referenceKernelOnly = true
        let scan = GenomeScan(network: try Network.builtin(), scoring: exactly)
        for name in ["bg0", "bg1", "bg2", "bg3"] {
            for window in scan.windowProbabilities(bases: try #require(ScanReportTests.records[name])) {
                direct.add(probability: window.forward)
                direct.add(probability: window.reverse)
            }
        }
        #expect(direct == exact.data.genome)
        #expect(fast.data.background == nil)
        let withStatistics = try ScanReportTests.scan { _ in }
        // A small input's one class: a decoy for every 2 tests, at least 10⁵ and at most 10⁶.
        let tests = withStatistics.summary.windowsScored
        #expect((withStatistics.data.background?.total ?? 0) >= UInt64(min(1_000_000, max(100_000, tests / 2))), "the decoys")
    }
}
