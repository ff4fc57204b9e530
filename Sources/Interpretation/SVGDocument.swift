import Foundation

/// A minimal SVG builder: absolute coordinates, no external resources.
package struct SVGDocument {
    private var body = ""
    package let width: Double, height: Double

    package init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    package mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil, opacity: Double? = nil) {
        body += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"\(fill)\""
        body += stroke.map { " stroke=\"\($0)\"" } ?? ""
        body += opacity.map { " fill-opacity=\"\(f($0))\"" } ?? ""
        body += "/>\n"
    }

    package mutating func circle(x: Double, y: Double, radius: Double, fill: String) {
        body += "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"\(f(radius))\" fill=\"\(fill)\"/>\n"
    }

    package mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String) {
        body += "<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"\(stroke)\"/>\n"
    }

    package mutating func text(_ text: String, x: Double, y: Double, size: Double, anchor: String, fill: String = "#222",
                       weight: String = "normal", rotate: Double? = nil) {
        let transform = rotate.map { " transform=\"rotate(\(f($0)) \(f(x)) \(f(y)))\"" } ?? ""
        body += "<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"\(f(size))\" text-anchor=\"\(anchor)\" fill=\"\(fill)\" "
        body += "font-weight=\"\(weight)\"\(transform)>\(text)</text>\n"
    }

    /// A capital letter filling `width` × `height` above `baseline`, centred on `x`. The
    /// glyph is drawn at font size 100 (cap height ≈ 73, advance ≈ 70 in bold sans) and scaled.
    mutating func letter(_ letter: Character, colour: String, x: Double, baseline: Double, width: Double, height: Double) {
        body += "<text transform=\"translate(\(f(x)) \(f(baseline))) scale(\(f(width / 70)) \(f(height / 74)))\" "
        body += "font-size=\"100\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"\(colour)\">\(letter)</text>\n"
    }

    /// A line through `points`, 2 px wide, dashed or solid.
    package mutating func polyline(_ points: [(Double, Double)], stroke: String, dashed: Bool = false) {
        guard points.count > 1 else { return }
        body += "<polyline points=\"" + points.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ")
        body += "\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"2\"" + (dashed ? " stroke-dasharray=\"5 4\"" : "") + "/>\n"
    }

    /// Draws `other` here, moved down by `y`.
    mutating func place(_ other: SVGDocument, y: Double) {
        body += "<g transform=\"translate(0 \(f(y)))\">\n" + other.body + "</g>\n"
    }

    /// The document as an SVG file, or (`inline`) as an `<svg>` element for an HTML page,
    /// which needs neither the XML declaration nor the namespace.
    package func finish(inline: Bool = false) -> String {
        (inline ? "<svg " : "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" ")
            + "width=\"\(f(width))\" height=\"\(f(height))\" "
            + "viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"DejaVu Sans, Arial, Helvetica, sans-serif\">\n"
            + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + body + "</svg>\n"
    }

    private func f(_ value: Double) -> String { String(format: "%.2f", value) }
}
