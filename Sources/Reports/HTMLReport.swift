import Interpretation

/// A self-contained HTML page: inline CSS and inline SVG figures, no scripts, fonts or
/// other files, written as well-formed XML (every element closed, only XML's five entities)
/// so that XML tools read it as well as browsers do.
public struct HTMLReport: Sendable {
    /// One table cell.
    public enum Cell: Sendable {
        case text(String)
        /// Right-aligned, for numbers.
        case number(String)
        /// Monospace, for sequences and coordinates.
        case code(String)
        /// An inline `<svg>` element (from a figure's `svg(inline: true)`).
        case figure(String)
        /// A link to a file beside the page.
        case link(String, to: String)
    }

    private var body = ""
    public let title: String

    public init(title: String) { self.title = title }

    public mutating func heading(_ text: String, level: Int = 2) {
        let level = min(max(level, 1), 4)
        body += "<h\(level)>\(HTMLReport.escape(text))</h\(level)>\n"
    }

    /// A paragraph, ending in a link to a file beside the page when `link` is given.
    public mutating func paragraph(_ text: String, note: Bool = false, link: (text: String, path: String)? = nil) {
        body += (note ? "<p class=\"note\">" : "<p>") + HTMLReport.escape(text)
        body += link.map { "<a href=\"\(HTMLReport.escape($0.path))\">\(HTMLReport.escape($0.text))</a>" } ?? ""
        body += "</p>\n"
    }

    /// An inline SVG figure with its caption.
    public mutating func figure(_ svg: String, caption: String) {
        body += HTMLReport.figure(svg, caption: caption)
    }

    /// Figures side by side where the page is wide enough.
    public mutating func figures(_ figures: [(svg: String, caption: String)]) {
        body += "<div class=\"row\">\n"
        for (svg, caption) in figures { body += HTMLReport.figure(svg, caption: caption) }
        body += "</div>\n"
    }

    public mutating func table(header: [String], rows: [[Cell]]) {
        body += "<table>\n<thead><tr>" + header.map { "<th>\(HTMLReport.escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in rows { body += "<tr>" + row.map(HTMLReport.cell).joined() + "</tr>\n" }
        body += "</tbody>\n</table>\n"
    }

    /// Name–value pairs, as a two-column table without a header.
    public mutating func facts(_ pairs: [(String, String)]) {
        body += "<table class=\"facts\">\n<tbody>\n"
        for (name, value) in pairs { body += "<tr><th>\(HTMLReport.escape(name))</th><td>\(HTMLReport.escape(value))</td></tr>\n" }
        body += "</tbody>\n</table>\n"
    }

    public func finish() -> String {
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
            + "<title>\(HTMLReport.escape(title))</title>\n<style>\n\(HTMLReport.style)</style>\n</head>\n<body>\n"
            + "<h1>\(HTMLReport.escape(title))</h1>\n" + body + "</body>\n</html>\n"
    }

    static let style = """
        body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; color: #222; margin: 24px auto; max-width: 1340px; padding: 0 16px; }
        h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ddd; }
        p { max-width: 900px; line-height: 1.45; } p.note { color: #555; font-size: 13px; }
        figure { margin: 12px 12px 20px 0; display: inline-block; vertical-align: top; max-width: 100%; }
        figure svg { max-width: 100%; height: auto; border: 1px solid #eee; }
        figcaption { font-size: 13px; color: #444; max-width: 640px; margin-top: 4px; line-height: 1.4; }
        .row { display: flex; flex-wrap: wrap; }
        table { border-collapse: collapse; font-size: 13px; margin: 8px 0 16px; }
        th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: middle; }
        thead th { background: #f4f4f4; } table.facts th { background: #f8f8f8; font-weight: normal; color: #444; }
        td.number { text-align: right; font-variant-numeric: tabular-nums; }
        td.code { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; }
        td.figure { padding: 2px 4px; }
        .sequence { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; letter-spacing: 3.78px; padding-left: 44px; white-space: pre; }

        """

    static func figure(_ svg: String, caption: String) -> String {
        "<figure>\n" + svg + "<figcaption>" + escape(caption) + "</figcaption>\n</figure>\n"
    }

    static func cell(_ cell: Cell) -> String {
        switch cell {
        case let .text(text): "<td>\(escape(text))</td>"
        case let .number(text): "<td class=\"number\">\(escape(text))</td>"
        case let .code(text): "<td class=\"code\">\(escape(text))</td>"
        case let .figure(svg): "<td class=\"figure\">\(svg)</td>"
        case let .link(text, path): "<td><a href=\"\(escape(path))\">\(escape(text))</a></td>"
        }
    }

    public static func escape(_ text: String) -> String { InterpretationWriters.escape(text) }

    /// 1,990,664: thousands set apart, for counts people read.
    public static func grouped(_ value: some BinaryInteger) -> String {
        let digits = String(value.magnitude)
        var text = ""
        for (k, digit) in digits.enumerated() {
            if k > 0, (digits.count - k) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return (value < 0 ? "-" : "") + text
    }
}
