import Foundation
import Interpretation

/// Calls per Mbp along records: one strip per record on a shared position axis, each bin a
/// bar whose height is its calls per Mbp on a scale common to all strips.
public struct StripChart: Sendable {
    /// One record: its name, length and calls per bin (the last bin may be shorter).
    public struct Strip: Sendable {
        public var name: String
        public var length: Int
        public var counts: [Int]

        public init(name: String, length: Int, counts: [Int]) {
            (self.name, self.length, self.counts) = (name, length, counts)
        }

        /// Calls per Mbp in each bin of `binLength` bases.
        func density(binLength: Int) -> [Double] {
            counts.enumerated().map { k, count in
                let bases = min(binLength, length - k * binLength)
                return bases > 0 ? Double(count) / Double(bases) * 1e6 : 0
            }
        }
    }

    public var title: String
    public var binLength: Int
    public var strips: [Strip]

    public init(title: String, binLength: Int, strips: [Strip]) {
        (self.title, self.binLength, self.strips) = (title, binLength, strips)
    }

    /// A bin length of 1, 2 or 5 × 10^k bases that cuts `length` into at most about `bins` bins.
    public static func binLength(for length: Int, bins: Int = 200) -> Int {
        let raw = max(1, Double(length) / Double(max(1, bins)))
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        return max(1, Int(step))
    }

    public func svg(inline: Bool = false) -> String {
        let left = 150.0, right = 100.0, top = 58.0, stripHeight = 24.0, gap = 8.0, width = ChartStyle.width + 120
        let plotWidth = width - left - right
        let height = top + Double(strips.count) * (stripHeight + gap) + 50
        var svg = SVGDocument(width: width, height: height)
        svg.text(InterpretationWriters.escape(title), x: width / 2, y: 22, size: 15, anchor: "middle", weight: "bold")
        let longest = Double(strips.map(\.length).max() ?? 1)
        let densities = strips.map { $0.density(binLength: binLength) }
        let highest = densities.joined().max() ?? 0
        let scale = highest > 0 ? highest : 1
        svg.text("bar height: calls per Mbp in \(InterpretationWriters.escape(StripChart.basesText(binLength))) bins; a full strip is \(HTMLReport.grouped(Int(highest.rounded()))) calls per Mbp",
                 x: width / 2, y: 42, size: 11, anchor: "middle", fill: "#555")
        let px = { (position: Double) in left + position / longest * plotWidth }
        for (k, strip) in strips.enumerated() {
            let y = top + Double(k) * (stripHeight + gap)
            svg.rect(x: left, y: y, width: px(Double(strip.length)) - left, height: stripHeight, fill: "#EEEEEE")
            for (bin, value) in densities[k].enumerated() where value > 0 {
                let h = max(1, value / scale * stripHeight)
                let start = Double(bin * binLength), end = Double(min(strip.length, (bin + 1) * binLength))
                svg.rect(x: px(start), y: y + stripHeight - h, width: max(0.8, px(end) - px(start)), height: h, fill: ChartStyle.palette[0])
            }
            let name = strip.name.count > 20 ? String(strip.name.prefix(19)) + "…" : strip.name
            svg.text(InterpretationWriters.escape(name), x: left - 8, y: y + stripHeight / 2 + 4, size: 11, anchor: "end")
            let calls = strip.counts.reduce(0, +)
            svg.text("\(HTMLReport.grouped(calls)) call\(calls == 1 ? "" : "s")", x: px(Double(strip.length)) + 6, y: y + stripHeight / 2 + 4, size: 10, anchor: "start", fill: "#555")
        }
        let axisY = top + Double(strips.count) * (stripHeight + gap)
        svg.line(x1: left, y1: axisY, x2: left + plotWidth, y2: axisY, stroke: "#444")
        for tick in ChartAxis.ticks(0...(longest / 1e6), logarithmic: false) where tick * 1e6 <= longest {
            svg.line(x1: px(tick * 1e6), y1: axisY, x2: px(tick * 1e6), y2: axisY + 5, stroke: "#444")
            svg.text(ChartAxis.tickText(tick), x: px(tick * 1e6), y: axisY + 18, size: 11, anchor: "middle")
        }
        svg.text("position (Mbp)", x: left + plotWidth / 2, y: height - 8, size: 12, anchor: "middle")
        return svg.finish(inline: inline)
    }

    /// 500 bp, 20 kbp, 1 Mbp.
    static func basesText(_ bases: Int) -> String {
        if bases >= 1_000_000, bases % 1_000_000 == 0 { return "\(bases / 1_000_000) Mbp" }
        if bases >= 1_000, bases % 1_000 == 0 { return "\(bases / 1_000) kbp" }
        return "\(bases) bp"
    }
}
