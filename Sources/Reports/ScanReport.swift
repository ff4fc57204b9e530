import Foundation
import Interpretation
import Model
import Scan
import Scoring
import Tracks

/// `annotate scan --report FILE.html`: one self-contained page of what a scan found and how
/// far to trust it.
public struct ScanReport {
    /// Records drawn as strips: the largest ones.
    static let strips = 24

    public let data: ScanReportData
    public let summary: ScanSummary
    public let network: Network
    /// What the page's first table says about the run: inputs, output, options.
    public let facts: [(String, String)]
    /// The cuts that applied: windows at or above `probabilityCut`, regions at or below `maximumQ`.
    public let probabilityCut: Float
    public let maximumQ: Double?

    public init(data: ScanReportData, summary: ScanSummary, network: Network, facts: [(String, String)],
                probabilityCut: Float, maximumQ: Double?) {
        (self.data, self.summary, self.network, self.facts) = (data, summary, network, facts)
        (self.probabilityCut, self.maximumQ) = (probabilityCut, maximumQ)
    }

    public func page() -> String {
        var page = HTMLReport(title: "annotate scan: \(network.name)")
        var facts = self.facts
        facts.append(("scanned", "\(HTMLReport.grouped(summary.records)) records, \(HTMLReport.grouped(summary.bases)) bases, \(HTMLReport.grouped(summary.windowsScored)) windows scored (the tests)"))
        if let background = data.background {
            facts.append(("background", "\(HTMLReport.grouped(background.total)) decoy windows, drawn per 64-kbp block from an order-3 Markov chain of the block"))
            facts.append(("calls", "\(HTMLReport.grouped(data.written)) written, of \(HTMLReport.grouped(data.candidates)) candidates before the q-value cut; at most \(fixed(summary.expectedFalse ?? 0, 2)) expected from background"))
        } else {
            facts.append(("calls", "\(HTMLReport.grouped(data.written)) written; no statistics (--no-stats)"))
        }
        page.facts(facts)
        page.heading("Scores of the genome's windows")
        page.figure(logitChart().svg(inline: true), caption: data.background == nil
            ? "Every scored window's logit, log(p / (1 − p)), in bins of 1/4. Without statistics there is no background to compare with."
            : "Every scored window's logit, log(p / (1 − p)), in bins of 1/4, against the background's decoy windows scaled to the genome's number of windows. Where the genome rises above the background on the right are its sites; where the two agree, calls are what background DNA gives.")
        if data.background != nil {
            page.heading("Regions against the q-value")
            page.figure(qChart().svg(inline: true), caption: "How many regions\(summary.linesWritten == data.candidates || maximumQ == nil ? "" : " (of the \(HTMLReport.grouped(data.candidates)) candidates)") pass each q-value cut: Benjamini–Hochberg over all \(HTMLReport.grouped(data.tests)) tests, as the output's q column. A steep rise at small q means calls that background does not explain.")
        }
        page.heading("Calls along the records")
        let (strip, shown) = stripChart()
        page.figure(strip.svg(inline: true), caption: "Calls (written regions, by their best window's centre) per Mbp along \(shown == data.records.count ? "each record" : "the \(shown) largest of \(data.records.count) records"), on one scale. A record whose strip is dense all along, or a bin far above the rest, points at repeats or composition the model mistakes for sites.")
        page.heading("The \(data.top.count) best regions")
        if data.top.isEmpty {
            page.paragraph("No region was written.")
        } else {
            page.paragraph("Ranked by p-value, then probability. Each row shows the region's best window as the model read it (reverse-complemented on the − strand) and its deletion saliency: each base drawn as high as the probability falls when it is removed (arcsinh of p(x) − p(x without it); below the line, the probability rises).")
            page.table(header: ["rank", "region (1-based)", "strand", "probability", "−log10 p", "−log10 q", "best window and its deletion saliency"], rows: topRows())
        }
        return page.finish()
    }

    func logitChart() -> LineChart {
        let genome = data.genome.counts
        let background = data.background?.counts
        let occupied = genome.indices.filter { genome[$0] > 0 || (background?[$0] ?? 0) > 0 }
        let first = max(0, (occupied.first ?? 0) - 2), last = min(LogitHistogram.count - 1, (occupied.last ?? 0) + 2)
        let floor = 0.5
        let series = [ChartSeries("genome: \(HTMLReport.grouped(data.genome.total)) windows", points: (first...last).map {
            (LogitHistogram.lowerEdge($0), genome[$0] > 0 ? Double(genome[$0]) : floor)
        }, shape: .steps)] + (background.map { counts in
            let scale = Double(data.genome.total) / Double(max(1, data.background?.total ?? 1))
            return [ChartSeries("background: decoys × \(fixed(scale, 2))", points: (first...last).map {
                (LogitHistogram.lowerEdge($0), counts[$0] > 0 ? max(floor, Double(counts[$0]) * scale) : floor)
            }, dashed: true, shape: .steps)]
        } ?? [])
        let highest = series.flatMap(\.points).map(\.y).max() ?? 1
        var chart = LineChart(title: "Window scores, genome against background", x: ChartAxis("window logit, log(p / (1 − p))"),
                              y: ChartAxis("windows per 1/4 logit", logarithmic: true, range: floor...pow(10, ceil(log10(max(highest, 10))))),
                              series: series)
        let cut = Double(probabilityCut)
        if cut > 0, cut < 1 { chart.markers = [(log(cut / (1 - cut)), "p = \(String(format: "%g", cut))")] }
        return chart
    }

    func qChart() -> LineChart {
        let q = data.qValues
        let smallest = q.first { $0 > 0 } ?? 1e-6
        let low = min(1e-4, pow(10, floor(log10(smallest))))
        // Counts on a grid of 20 points per decade, and at every q-value below the 100th.
        let grid = stride(from: log10(low), through: 0, by: 0.05).map { pow(10, $0) }
        let xs = Array(Set(grid + q.prefix(100).filter { $0 >= low })).sorted()
        let floor = 0.5
        let points = xs.map { x in (x, max(floor, Double(data.regions(atMostQ: x)))) }
        var chart = LineChart(title: "Regions passing each q-value", x: ChartAxis("q-value cut (Benjamini–Hochberg)", logarithmic: true, range: low...1),
                              y: ChartAxis("regions with q ≤ cut", logarithmic: true,
                                           range: floor...pow(10, ceil(log10(Double(max(10, q.count)))))),
                              series: [ChartSeries("regions", points: points, shape: .steps)])
        var marks: [(x: Double, label: String)] = [(0.01, "q = 0.01: \(data.regions(atMostQ: 0.01))"), (0.05, "0.05: \(data.regions(atMostQ: 0.05))")]
        if let maximumQ, maximumQ != 0.01, maximumQ != 0.05 { marks.append((maximumQ, "--max-q: \(data.regions(atMostQ: maximumQ))")) }
        chart.markers = marks
        return chart
    }

    func stripChart() -> (StripChart, shown: Int) {
        let present = data.records.filter { $0.length > 0 }
        let largest = Set(present.indices.sorted { (present[$0].length, -$0) > (present[$1].length, -$1) }.prefix(ScanReport.strips))
        let chosen = present.indices.filter(largest.contains).map { present[$0] }
        let longest = chosen.map(\.length).max() ?? 1
        let bin = max(ScanReportData.callBin, StripChart.binLength(for: longest))
        let strips = chosen.map { record in
            var counts = [Int](repeating: 0, count: (record.length + bin - 1) / bin)
            for call in record.calls {
                let k = min(counts.count - 1, call.bin * ScanReportData.callBin / bin)
                if k >= 0 { counts[k] += call.count }
            }
            return StripChart.Strip(name: record.name, length: record.length, counts: counts)
        }
        return (StripChart(title: "Calls per Mbp along the records", binLength: bin, strips: strips), chosen.count)
    }

    func topRows() -> [[HTMLReport.Cell]] {
        let windows = data.top.compactMap(\.window)
        let saliency = network.deletionSaliency(for: windows)
        var next = 0
        return data.top.enumerated().map { rank, region in
            var logo = HTMLReport.Cell.text("(window not kept)")
            if let window = region.window, next < saliency.count {
                let sequence = String(decoding: window, as: UTF8.self)
                logo = .figure("<div class=\"sequence\">\(HTMLReport.escape(sequence))</div>"
                    + InterpretationWriters.deletionLogo(bases: window, deletion: saliency[next].deletion, inline: true))
                next += 1
            }
            return [.number("\(rank + 1)"), .code("\(region.chromosome):\(region.start + 1)-\(region.end)"),
                    .text(region.reverse ? "−" : "+"), .number(fixed(Double(region.probability), 4)),
                    .number(region.pValue.map { fixed(-log10($0), 2) } ?? "n/a"), .number(region.qValue.map { fixed(-log10($0), 2) } ?? "n/a"), logo]
        }
    }
}
