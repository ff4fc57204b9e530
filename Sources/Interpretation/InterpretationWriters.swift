import Foundation
import Model

/// Text formats for `annotate explain` and `annotate motifs`: the attribution TSV, the MEME
/// minimal motif format, and self-contained SVG figures.
public enum InterpretationWriters {
    /// Colours of the notebook's logo: A green, C blue, G orange, T red.
    static let baseColours = ["#109648", "#255C99", "#F7A21B", "#D62839"]
    static let letters = Array("ACGT")

    // MARK: - TSV

    public static let attributionHeader = "id\tposition\tbase\tdeletion\tism_A\tism_C\tism_G\tism_T\tgrad_x_input\n"

    /// One row per position (1-based), values with 6 significant decimals.
    public static func attributionRows(id: String, bases: [UInt8], attribution: Attribution) -> String {
        var text = ""
        for i in bases.indices {
            let ism = (0..<4).map { number(attribution.mutagenesis[i * 4 + $0]) }.joined(separator: "\t")
            text += "\(id)\t\(i + 1)\t\(Character(Unicode.Scalar(bases[i])))\t\(number(attribution.deletion[i]))\t\(ism)\t"
            text += "\(number(attribution.gradientTimesInput[i]))\n"
        }
        return text
    }

    static func number(_ value: Float) -> String {
        let v = Double(value)
        if v == 0 { return "0" }
        return String(format: "%.6g", v)
    }

    // MARK: - MEME

    /// The MEME minimal motif format (version 4), one `MOTIF filterN` per motif in the order
    /// The motif table `motifs` prints: one row per filter in rank order, with the AUC lost
    /// when it is zeroed (`auc_drop`) only when labels gave one.
    public static func motifTable(_ motifs: [FilterMotif], background: [Double], withImportance: Bool) -> String {
        var text = "filter\trank\tconsensus\tinformation_bits\tsites\t\(withImportance ? "auc_drop\t" : "")mean_abs_dp\n"
        for motif in motifs {
            text += "filter\(motif.filter)\t\(motif.rank)\t\(motif.consensus)\t"
            text += "\(fixed(motif.informationContent(background: background), 2))\t\(motif.sites)\t"
            if withImportance { text += String(format: "%.3g\t", motif.importance) }
            text += String(format: "%.5f\n", motif.meanAbsoluteChange)
        }
        return text
    }

    /// given, each a letter-probability matrix with `nsites`. Motifs without sites are left out.
    public static func meme(motifs: [FilterMotif], background: [Double]) -> String {
        var text = "MEME version 4\n\nALPHABET= ACGT\n\nstrands: + -\n\nBackground letter frequencies\n"
        text += zip(letters, background).map { "\($0) \(String(format: "%.4f", $1))" }.joined(separator: " ") + "\n\n"
        for motif in motifs where motif.sites > 0 {
            text += "MOTIF filter\(motif.filter) rank\(motif.rank)_\(motif.consensus)\n"
            text += "letter-probability matrix: alength= 4 w= \(motif.width) nsites= \(motif.sites) E= 0\n"
            for row in motif.frequencies {
                text += row.map { String(format: " %.6f", $0) }.joined() + "\n"
            }
            text += "\n"
        }
        return text
    }

    // MARK: - SVG

    /// The notebook's saliency spectrum over an ISM heatmap, for one sequence.
    ///
    /// Top panel: each base as its letter, height arcsinh(deletion score), above the axis for
    /// positive scores and below for negative ones. Bottom panel: p(mutant) − p(x) for every
    /// position and base on a diverging blue–white–red scale, with a colour bar.
    public static func saliencySVG(id: String, bases: [UInt8], attribution: Attribution) -> String {
        saliencyPanel(id: id, bases: bases, attribution: attribution).finish()
    }

    /// One variant's window on the REF and on the ALT haplotype, one saliency figure above
    /// the other under a common title, so that what the variant changes shows.
    public static func variantSVG(title: String, reference: (id: String, bases: [UInt8], attribution: Attribution),
                                  alternate: (id: String, bases: [UInt8], attribution: Attribution)) -> String {
        let upper = saliencyPanel(id: reference.id, bases: reference.bases, attribution: reference.attribution)
        let lower = saliencyPanel(id: alternate.id, bases: alternate.bases, attribution: alternate.attribution)
        var svg = SVGDocument(width: max(upper.width, lower.width), height: 36 + upper.height + lower.height)
        svg.text(escape(title), x: svg.width / 2, y: 24, size: 16, anchor: "middle", weight: "bold")
        svg.place(upper, y: 36)
        svg.place(lower, y: 36 + upper.height)
        return svg.finish()
    }

    static func saliencyPanel(id: String, bases: [UInt8], attribution: Attribution) -> SVGDocument {
        let length = bases.count
        let column = 16.0, left = 70.0, top = 50.0, panel = 180.0, gap = 44.0, row = 16.0
        let width = left + Double(length) * column + 110
        let heatTop = top + panel + gap
        let height = heatTop + 4 * row + 50
        var svg = SVGDocument(width: width, height: height)
        svg.text("\(escape(id)) — p(x) = \(String(format: "%.4f", attribution.probability))",
                 x: width / 2, y: 24, size: 15, anchor: "middle", weight: "bold")
        // Top panel.
        let scores = attribution.deletion.map { asinh(Double($0)) }
        let range = max(0.05, scores.map(abs).max() ?? 0)
        let axis = top + panel / 2
        svg.rect(x: left, y: top, width: Double(length) * column, height: panel, fill: "none", stroke: "#999")
        svg.line(x1: left, y1: axis, x2: left + Double(length) * column, y2: axis, stroke: "#444")
        for (tick, label) in [(-range, String(format: "%.2f", -range)), (0, "0"), (range, String(format: "%.2f", range))] {
            let y = axis - tick / range * panel / 2
            svg.line(x1: left - 5, y1: y, x2: left, y2: y, stroke: "#444")
            svg.text(label, x: left - 8, y: y + 4, size: 11, anchor: "end")
        }
        svg.text("arcsinh(deletion Δp)", x: 18, y: axis, size: 12, anchor: "middle", rotate: -90)
        deletionLetters(bases, scores: scores, range: range, into: &svg, left: left, column: column, axis: axis, half: panel / 2)
        // Bottom panel.
        let ism = attribution.mutagenesis.map(Double.init)
        let scale = max(1e-6, ism.map(abs).max() ?? 0)
        for b in 0..<4 {
            let y = heatTop + Double(b) * row
            svg.text(String(letters[b]), x: left - 8, y: y + row * 0.75, size: 12, anchor: "end", fill: baseColours[b], weight: "bold")
            for i in 0..<length {
                svg.rect(x: left + Double(i) * column, y: y, width: column, height: row, fill: diverging(ism[i * 4 + b] / scale))
            }
        }
        svg.rect(x: left, y: heatTop, width: Double(length) * column, height: 4 * row, fill: "none", stroke: "#999")
        for i in stride(from: 0, to: length, by: 10) {
            let x = left + (Double(i) + 0.5) * column
            svg.line(x1: x, y1: heatTop + 4 * row, x2: x, y2: heatTop + 4 * row + 5, stroke: "#444")
            svg.text("\(i + 1)", x: x, y: heatTop + 4 * row + 17, size: 11, anchor: "middle")
        }
        svg.text("position", x: left + Double(length) * column / 2, y: height - 10, size: 12, anchor: "middle")
        svg.text("base", x: 18, y: heatTop + 2 * row, size: 12, anchor: "middle", rotate: -90)
        svg.text("ISM p(mutant) − p(x)", x: left + Double(length) * column / 2, y: heatTop - 8, size: 12, anchor: "middle")
        // Colour bar.
        let barX = left + Double(length) * column + 30
        for k in 0..<32 {
            let v = 1 - Double(k) / 31 * 2
            svg.rect(x: barX, y: heatTop + Double(k) * 2, width: 14, height: 2.2, fill: diverging(v))
        }
        for (label, y) in [(String(format: "%+.3f", scale), heatTop), ("0", heatTop + 32), (String(format: "%+.3f", -scale), heatTop + 64)] {
            svg.text(label, x: barX + 20, y: y + 4, size: 10, anchor: "start")
        }
        return svg
    }

    /// Each base as its letter, `half` high at |score| = `range`, above `axis` for positive
    /// scores and below it for negative ones: the top of the saliency figures.
    static func deletionLetters(_ bases: [UInt8], scores: [Double], range: Double, into svg: inout SVGDocument,
                                left: Double, column: Double, axis: Double, half: Double) {
        for i in bases.indices {
            let code = Int(Nucleotide.code[Int(bases[i])])
            guard code < 4, scores[i] != 0 else { continue }
            let h = abs(scores[i]) / range * half
            svg.letter(letters[code], colour: baseColours[code], x: left + (Double(i) + 0.5) * column,
                       baseline: scores[i] > 0 ? axis : axis + h, width: column * 0.92, height: h)
        }
    }

    /// A compact deletion-saliency logo of one window, for a table row: the letters of
    /// `saliencySVG`'s top panel (arcsinh of the deletion Δp) with positions every 10 bases.
    public static func deletionLogo(bases: [UInt8], deletion: [Float], inline: Bool = false) -> String {
        let column = 11.0, left = 44.0, panel = 76.0, top = 6.0
        var svg = SVGDocument(width: left + Double(bases.count) * column + 8, height: top + panel + 22)
        let scores = deletion.map { asinh(Double($0)) }
        let range = max(0.05, scores.map(abs).max() ?? 0)
        let axis = top + panel / 2
        svg.rect(x: left, y: top, width: Double(bases.count) * column, height: panel, fill: "none", stroke: "#ccc")
        svg.line(x1: left, y1: axis, x2: left + Double(bases.count) * column, y2: axis, stroke: "#888")
        for (tick, label) in [(range, String(format: "%.2f", range)), (-range, String(format: "%.2f", -range))] {
            svg.text(label, x: left - 4, y: axis - tick / range * panel / 2 + (tick > 0 ? 9 : -2), size: 9, anchor: "end", fill: "#555")
        }
        deletionLetters(bases, scores: scores, range: range, into: &svg, left: left, column: column, axis: axis, half: panel / 2)
        for i in stride(from: 0, to: bases.count, by: 10) {
            svg.text("\(i + 1)", x: left + (Double(i) + 0.5) * column, y: top + panel + 14, size: 9, anchor: "middle", fill: "#555")
        }
        return svg.finish(inline: inline)
    }

    /// An information-content sequence logo of one filter's motif (bits against a uniform
    /// background, letters stacked by frequency, largest on top).
    public static func logoSVG(motif: FilterMotif, background: [Double], inline: Bool = false) -> String {
        let column = 34.0, left = 56.0, top = 44.0, panel = 150.0
        let width = max(560, left + Double(motif.width) * column + 24), height = top + panel + 50
        var svg = SVGDocument(width: width, height: height)
        let ic = motif.informationContent(background: background)
        svg.text("filter\(motif.filter) (rank \(motif.rank)): \(motif.consensus), \(motif.sites) sites, \(String(format: "%.1f", ic)) bits",
                 x: width / 2, y: 22, size: 14, anchor: "middle", weight: "bold")
        let bottom = top + panel
        for bits in 0...2 {
            let y = bottom - Double(bits) / 2 * panel
            svg.line(x1: left - 5, y1: y, x2: left, y2: y, stroke: "#444")
            svg.text("\(bits)", x: left - 8, y: y + 4, size: 11, anchor: "end")
        }
        svg.line(x1: left, y1: top, x2: left, y2: bottom, stroke: "#444")
        svg.line(x1: left, y1: bottom, x2: left + Double(motif.width) * column, y2: bottom, stroke: "#444")
        svg.text("bits", x: 16, y: top + panel / 2, size: 12, anchor: "middle", rotate: -90)
        for (i, row) in motif.frequencies.enumerated() {
            let entropy = row.reduce(0) { $0 - ($1 > 0 ? $1 * log2($1) : 0) }
            let information = max(0, 2 - entropy)
            var y = bottom
            for b in (0..<4).sorted(by: { (row[$0], $0) < (row[$1], $1) }) {
                let h = row[b] * information / 2 * panel
                guard h > 0.2 else { continue }
                svg.letter(letters[b], colour: baseColours[b], x: left + (Double(i) + 0.5) * column, baseline: y,
                           width: column * 0.9, height: h)
                y -= h
            }
            svg.text("\(i + 1)", x: left + (Double(i) + 0.5) * column, y: bottom + 16, size: 11, anchor: "middle")
        }
        svg.text("position", x: left + Double(motif.width) * column / 2, y: height - 8, size: 12, anchor: "middle")
        return svg.finish(inline: inline)
    }

    /// −1 … 1 to blue … white … red.
    static func diverging(_ value: Double) -> String {
        let v = max(-1, min(1, value.isFinite ? value : 0))
        let (r, g, b): (Double, Double, Double) = v >= 0
            ? (255, 255 - 200 * v, 255 - 210 * v)
            : (255 + 200 * v, 255 + 150 * v, 255)
        return String(format: "#%02X%02X%02X", Int(r.rounded()), Int(g.rounded()), Int(b.rounded()))
    }

    package static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
