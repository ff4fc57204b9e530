import Foundation
import Interpretation
import Model

/// The figures' one small style, shared by `explain`'s saliency panels and the reports:
/// Okabe & Ito's colour-blind-safe palette, axes with labelled ticks and units, a legend
/// where there is more than one series, and sizes that fit a laptop screen.
public enum ChartStyle {
    /// Okabe & Ito (2008): blue, orange, bluish green, vermillion, reddish purple, sky blue, yellow, black.
    public static let palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
    public static let width = 640.0, height = 400.0
    static let margin = (left: 72.0, right: 24.0, top: 44.0, bottom: 56.0)
}

/// One axis: its label (with the unit) and, on a log scale, base-10 ticks.
public struct ChartAxis: Sendable {
    public var label: String
    public var logarithmic: Bool
    /// The range shown; nil: the data's, widened to round ticks.
    public var range: ClosedRange<Double>?
    /// Ticks on whole numbers only (epochs, rounds).
    public var integer: Bool

    public init(_ label: String, logarithmic: Bool = false, range: ClosedRange<Double>? = nil, integer: Bool = false) {
        (self.label, self.logarithmic, self.range, self.integer) = (label, logarithmic, range, integer)
    }

    /// Tick values over `span`: 1, 2 or 5 × 10^k apart (about 5 of them; at least 1 apart
    /// with `integer`), or powers of ten.
    package static func ticks(_ span: ClosedRange<Double>, logarithmic: Bool, integer: Bool = false) -> [Double] {
        if logarithmic {
            let low = Int(floor(log10(span.lowerBound))), high = Int(ceil(log10(span.upperBound)))
            let every = max(1, (high - low + 5) / 6)
            return stride(from: low, through: high, by: every).map { pow(10, Double($0)) }
        }
        let raw = integer ? max(1, (span.upperBound - span.lowerBound) / 5) : (span.upperBound - span.lowerBound) / 5
        guard raw > 0, raw.isFinite else { return [span.lowerBound] }
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        let first = ceil(span.lowerBound / step - 1e-9) * step
        return stride(from: first, through: span.upperBound + step * 1e-9, by: step).map { abs($0) < step * 1e-9 ? 0 : $0 }
    }

    /// A tick's label: %g, or powers of ten as 1eK (on a log axis from 1e3 and below 0.01).
    package static func tickText(_ value: Double, logarithmic: Bool = false) -> String {
        let far = logarithmic ? abs(value) >= 1e3 || abs(value) < 1e-2 : abs(value) >= 1e5 || abs(value) < 1e-3
        if value != 0, far {
            let exponent = Int(floor(log10(abs(value))))
            let mantissa = value / pow(10, Double(exponent))
            return abs(mantissa - 1) < 1e-9 ? "1e\(exponent)" : String(format: "%ge%d", mantissa, exponent)
        }
        return String(format: "%g", value)
    }
}

/// A named series of points, drawn as a line, as steps (a precision–recall curve, counts in
/// bins) or as a line with a dot at each point (few points, such as rounds).
public struct ChartSeries: Sendable {
    public enum Shape: Sendable { case line, steps, dots }

    public var name: String
    public var points: [(x: Double, y: Double)]
    public var dashed: Bool
    public var shape: Shape
    /// The series' colour: an index into `ChartStyle.palette`; nil: its place in the chart.
    public var colour: Int?

    public init(_ name: String, points: [(x: Double, y: Double)], dashed: Bool = false, shape: Shape = .line, colour: Int? = nil) {
        (self.name, self.points, self.dashed, self.shape, self.colour) = (name, points, dashed, shape, colour)
    }

    /// The polyline through the points: with steps, y holds until the next x.
    func path(_ place: ((x: Double, y: Double)) -> (Double, Double)) -> [(Double, Double)] {
        guard shape == .steps else { return points.map(place) }
        var path: [(Double, Double)] = []
        for (k, point) in points.enumerated() {
            if k > 0 { path.append(place((point.x, points[k - 1].y))) }
            path.append(place(point))
        }
        return path
    }
}

/// A line chart with labelled axes, optional vertical markers (training rounds) and a legend.
public struct LineChart: Sendable {
    public var title: String
    public var x: ChartAxis, y: ChartAxis
    public var series: [ChartSeries]
    /// Vertical dashed lines at these x values, with their labels.
    public var markers: [(x: Double, label: String)] = []
    /// Lines of text under the legend's series (reference values with no curve to draw).
    public var notes: [String] = []

    public init(title: String, x: ChartAxis, y: ChartAxis, series: [ChartSeries]) {
        (self.title, self.x, self.y, self.series) = (title, x, y, series)
    }

    /// The chart as a self-contained SVG document, or (`inline`) as an `<svg>` element for an HTML page.
    public func svg(width: Double = ChartStyle.width, height: Double = ChartStyle.height, inline: Bool = false) -> String {
        var document = SVGDocument(width: width, height: height)
        draw(into: &document)
        return document.finish(inline: inline)
    }

    func draw(into svg: inout SVGDocument) {
        let m = ChartStyle.margin
        let plot = (x: m.left, y: m.top, width: svg.width - m.left - m.right, height: svg.height - m.top - m.bottom)
        let points = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite && (!x.logarithmic || $0.x > 0) && (!y.logarithmic || $0.y > 0) }
        func span(_ axis: ChartAxis, _ values: [Double]) -> ClosedRange<Double> {
            if let range = axis.range { return range }
            let low = values.min() ?? (axis.logarithmic ? 1 : 0), high = values.max() ?? 1
            if axis.logarithmic { return pow(10, floor(log10(low)))...pow(10, ceil(log10(max(high, low * 10)))) }
            let ticks = ChartAxis.ticks(low...(high > low ? high : low + 1), logarithmic: false, integer: axis.integer)
            let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
            return (floor(low / step) * step)...(ceil((high > low ? high : low + 1) / step) * step)
        }
        let xs = span(x, points.map(\.x)), ys = span(y, points.map(\.y))
        func position(_ value: Double, _ range: ClosedRange<Double>, _ logarithmic: Bool) -> Double {
            let (v, low, high) = logarithmic ? (log10(value), log10(range.lowerBound), log10(range.upperBound)) : (value, range.lowerBound, range.upperBound)
            return high > low ? (v - low) / (high - low) : 0.5
        }
        let px = { (v: Double) in plot.x + position(v, xs, x.logarithmic) * plot.width }
        let py = { (v: Double) in plot.y + (1 - position(v, ys, y.logarithmic)) * plot.height }
        svg.text(InterpretationWriters.escape(title), x: svg.width / 2, y: 24, size: 15, anchor: "middle", weight: "bold")
        svg.rect(x: plot.x, y: plot.y, width: plot.width, height: plot.height, fill: "none", stroke: "#999")
        for tick in ChartAxis.ticks(xs, logarithmic: x.logarithmic, integer: x.integer) where xs.contains(tick) {
            svg.line(x1: px(tick), y1: plot.y + plot.height, x2: px(tick), y2: plot.y + plot.height + 5, stroke: "#444")
            svg.text(ChartAxis.tickText(tick, logarithmic: x.logarithmic), x: px(tick), y: plot.y + plot.height + 18, size: 11, anchor: "middle")
        }
        for tick in ChartAxis.ticks(ys, logarithmic: y.logarithmic, integer: y.integer) where ys.contains(tick) {
            svg.line(x1: plot.x - 5, y1: py(tick), x2: plot.x, y2: py(tick), stroke: "#444")
            svg.text(ChartAxis.tickText(tick, logarithmic: y.logarithmic), x: plot.x - 8, y: py(tick) + 4, size: 11, anchor: "end")
        }
        svg.text(InterpretationWriters.escape(x.label), x: plot.x + plot.width / 2, y: svg.height - 14, size: 12, anchor: "middle")
        svg.text(InterpretationWriters.escape(y.label), x: 18, y: plot.y + plot.height / 2, size: 12, anchor: "middle", rotate: -90)
        for (k, marker) in markers.enumerated() where xs.contains(marker.x) {
            svg.polyline([(px(marker.x), plot.y), (px(marker.x), plot.y + plot.height)], stroke: "#777", dashed: true)
            // Labels along the bottom (clear of a legend in a top corner), every other one a line up.
            svg.text(InterpretationWriters.escape(marker.label), x: px(marker.x) + 3, y: plot.y + plot.height - 6 - Double(k % 2) * 13,
                     size: 10, anchor: "start", fill: "#555")
        }
        for (k, line) in series.enumerated() {
            let shown = ChartSeries(line.name, points: line.points.filter { xs.contains($0.x) && ys.contains($0.y) }, shape: line.shape)
            let colour = ChartStyle.palette[(line.colour ?? k) % ChartStyle.palette.count]
            svg.polyline(shown.path { (px($0.x), py($0.y)) }, stroke: colour, dashed: line.dashed)
            if line.shape == .dots { for point in shown.points { svg.circle(x: px(point.x), y: py(point.y), radius: 3.5, fill: colour) } }
        }
        guard series.count > 1 || !notes.isEmpty else { return }
        let entries = Double(series.count + notes.count)
        let widest = (series.map(\.name) + notes).map(\.count).max() ?? 0
        let boxWidth = min(plot.width - 8, 44 + Double(widest) * 6.4), boxHeight = entries * 16 + 4
        // The corner of the plot whose box covers the fewest drawn points.
        let drawn = occupied(place: { (px($0.x), py($0.y)) }, marker: { px($0) }, xs: xs, bottom: plot.y + plot.height)
        let right = plot.x + plot.width - boxWidth - 4, bottom = plot.y + plot.height - boxHeight - 22
        let corners: [(Double, Double)] = [(right, plot.y + 6), (right, bottom), (plot.x + 6, plot.y + 6), (plot.x + 6, bottom)]
        let covered = corners.map { corner in
            // (With 8 px around the box, so that a line just past its edge counts too.)
            drawn.count { $0.0 >= corner.0 - 8 && $0.0 <= corner.0 + boxWidth + 8 && $0.1 >= corner.1 - 8 && $0.1 <= corner.1 + boxHeight + 8 }
        }
        let best = covered.indices.min { (covered[$0], $0) < (covered[$1], $1) } ?? 0
        let (left, top) = (corners[best].0 + 6, corners[best].1)
        svg.rect(x: left - 6, y: top, width: boxWidth, height: boxHeight, fill: "white", stroke: "#ccc", opacity: 0.85)
        for (k, line) in series.enumerated() {
            let y0 = top + 14 + Double(k) * 16
            let colour = ChartStyle.palette[(line.colour ?? k) % ChartStyle.palette.count]
            svg.polyline([(left, y0 - 4), (left + 22, y0 - 4)], stroke: colour, dashed: line.dashed)
            if line.shape == .dots { svg.circle(x: left + 11, y: y0 - 4, radius: 3.5, fill: colour) }
            svg.text(InterpretationWriters.escape(line.name), x: left + 28, y: y0, size: 11, anchor: "start")
        }
        for (k, note) in notes.enumerated() {
            svg.text(InterpretationWriters.escape(note), x: left + 28, y: top + 14 + Double(series.count + k) * 16, size: 11, anchor: "start", fill: "#555")
        }
    }

    /// Where the chart has drawn: points along each series' segments (so that a line
    /// between far points counts) and along the markers' labels, for placing the legend.
    private func occupied(place: ((x: Double, y: Double)) -> (Double, Double), marker px: (Double) -> Double,
                          xs: ClosedRange<Double>, bottom: Double) -> [(Double, Double)] {
        var drawn: [(Double, Double)] = []
        for line in series {
            let path = line.path(place).filter { $0.0.isFinite && $0.1.isFinite }
            for (a, b) in zip(path, path.dropFirst()) {
                for k in 0..<8 {
                    let t = Double(k) / 8
                    drawn.append((a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t))
                }
            }
            drawn += path.suffix(1)
        }
        for (k, marker) in markers.enumerated() where xs.contains(marker.x) {
            let y = bottom - 10 - Double(k % 2) * 13
            drawn += stride(from: 3.0, through: 3 + Double(marker.label.count) * 5.5, by: 6).map { (px(marker.x) + $0, y) }
        }
        return drawn
    }
}
