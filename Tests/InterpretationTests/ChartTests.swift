import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Interpretation
import Testing

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
}
