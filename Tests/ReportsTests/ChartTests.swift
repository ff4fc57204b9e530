import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Interpretation
import Testing
import Reports

/// The shared chart drawing: round ticks, and self-contained, well-formed SVG.
@Suite struct ChartTests {
    @Test func ticksAreRoundNumbers() {
        #expect(ChartAxis.ticks(0...1, logarithmic: false) == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
        #expect(ChartAxis.ticks(0...7, logarithmic: false) == [0, 2, 4, 6])
        #expect(ChartAxis.ticks(-3...3, logarithmic: false) == [-2, 0, 2])
        #expect(ChartAxis.ticks(1...1e6, logarithmic: true) == [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000])
        #expect(ChartAxis.ticks(1...1e12, logarithmic: true) == [1, 1e2, 1e4, 1e6, 1e8, 1e10, 1e12], "at most 7 ticks: every other decade")
        #expect(ChartAxis.tickText(1e6) == "1e6" && ChartAxis.tickText(0.25) == "0.25" && ChartAxis.tickText(2.5e-5) == "2.5e-5")
    }

    @Test func chartsAreSelfContainedWellFormedSVG() throws {
        let epochs = (1...10).map(Double.init)
        var chart = LineChart(title: "Loss per epoch <train & validation>", x: ChartAxis("epoch"), y: ChartAxis("loss (MSE)"),
                              series: [ChartSeries("training", points: epochs.map { ($0, 0.2 / $0) }),
                                       ChartSeries("validation", points: epochs.map { ($0, 0.25 / $0) }, dashed: true)])
        chart.markers = [(4, "mining round 1")]
        let svg = chart.svg()
        #expect(XMLParser(data: Data(svg.utf8)).parse())
        #expect(svg.contains(">training<") && svg.contains(">validation<") && svg.contains("mining round 1"))
        #expect(svg.contains("&lt;train &amp; validation&gt;"))
        #expect(svg.contains(ChartStyle.palette[0]) && svg.contains(ChartStyle.palette[1]) && svg.contains("stroke-dasharray"))
        // No references out of the document but the SVG namespace.
        #expect(!svg.contains("href") && svg.components(separatedBy: "http").count == 2)
        let single = LineChart(title: "Counts", x: ChartAxis("logit"), y: ChartAxis("windows", logarithmic: true),
                               series: [ChartSeries("genome", points: [(-10, 1), (-5, 1_000), (0, 10), (3, 0)])]).svg()
        #expect(XMLParser(data: Data(single.utf8)).parse())
        #expect(!single.contains(">genome<"), "one series needs no legend")
        #expect(single.contains(">1e3<") && single.contains(">100<"), "powers of ten from 1e3 on a log axis")
    }

    @Test func pagesAndStripsAreWellFormedAndSelfContained() throws {
        let strips = StripChart(title: "Calls <per> Mbp", binLength: StripChart.binLength(for: 2_500_000),
                                strips: [StripChart.Strip(name: "chr1", length: 2_500_000, counts: Array(repeating: 1, count: 200) + [3]),
                                         StripChart.Strip(name: "a_very_long_scaffold_name_indeed", length: 1_000, counts: [1])])
        #expect(StripChart.binLength(for: 2_500_000) == 20_000 && StripChart.binLength(for: 180) == 1)
        var steps = LineChart(title: "PR", x: ChartAxis("recall", range: 0...1), y: ChartAxis("precision", range: 0...1),
                              series: [ChartSeries("model", points: [(0, 1), (0.5, 1), (1, 0.5)], shape: .steps)])
        steps.notes = ["notebook: 0.9969"]
        var page = HTMLReport(title: "Report & <test>")
        page.facts([("model", "seed \"v1\"")])
        page.figure(strips.svg(inline: true), caption: "strips")
        page.figures([(steps.svg(inline: true), "steps")])
        page.table(header: ["a", "b"], rows: [[.number(HTMLReport.grouped(1_990_664)), .link("motifs", to: "filters.meme")], [.code("ACGT"), .text("x < y")]])
        page.paragraph("See ", link: ("filters.meme", "filters.meme"))
        let html = page.finish()
        #expect(XMLParser(data: Data(html.utf8)).parse())
        #expect(html.contains(">1,990,664<") && html.contains("Report &amp; &lt;test&gt;") && html.contains("x &lt; y"))
        #expect(!html.contains("http") && !html.contains("<script"), "inline SVG needs no namespace")
        #expect(html.contains(">notebook: 0.9969<") && html.contains(">model<"), "a note makes a legend")
        #expect(html.contains("a_very_long_scaffol…") && html.contains(">203 calls<") && html.contains(">1 call<"))
    }
}
