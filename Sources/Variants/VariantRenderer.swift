import Background
import Significance

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes the fields of one record's effects.
struct VariantRenderer: Sendable {
    let background: GenomeBackground?

    /// The record's line with the fields added to its INFO (and any of ours it had removed).
    func vcfLine(_ line: VariantLine, _ effect: VariantEffect) -> [UInt8] {
        var info: [UInt8] = []
        let old = line.bytes[line.info]
        if !old.elementsEqual(".".utf8) {
            for item in old.split(separator: 0x3B) where !item.starts(with: VariantFields.prefixBytes) {
                if !info.isEmpty { info.append(0x3B) }
                info += item
            }
        }
        let values = columns(effect)
        if !line.alternates.isEmpty {
            for (k, id) in VariantFields.idBytes.enumerated() {
                if !info.isEmpty { info.append(0x3B) }
                info += id
                info.append(0x3D)
                info += Array(values.map { $0[k] }.joined(separator: ",").utf8)
            }
        }
        if effect.referenceMismatch {
            if !info.isEmpty { info.append(0x3B) }
            info += VariantFields.mismatchBytes
        }
        if info.isEmpty { info = [0x2E] }
        return Array(line.bytes[..<line.info.lowerBound]) + info + Array(line.bytes[line.info.upperBound...]) + [0x0A]
    }

    /// Each allele's values, in the order of `VariantFields.fields` (`.` where missing).
    func columns(_ effect: VariantEffect) -> [[String]] {
        effect.alleles.map { allele in
            guard case let .scored(reference, alternate) = allele else { return Array(repeating: ".", count: VariantFields.fields.count) }
            let r = describe(reference, record: effect.backgroundIndex), a = describe(alternate, record: effect.backgroundIndex)
            var delta = [".", "."]
            if let reference, let alternate {
                delta = ["\(alternate.probability - reference.probability)",
                         VariantRenderer.decimal(ScoreBins.logit(alternate.probability) - ScoreBins.logit(reference.probability), 4, signed: true)]
            }
            return [r[0], a[0], r[1], a[1], r[2], a[2]] + delta + [r[3], a[3], r[4], a[4]]
        }
    }

    /// A best window's probability (its shortest exact decimal: a background window's is far
    /// below 1e-4), logit, −log10 p-value, strand and 1-based start; `.` for none.
    private func describe(_ window: BestWindow?, record: Int) -> [String] {
        guard let window else { return Array(repeating: ".", count: 5) }
        let p = background.map { $0.pValue(recordIndex: record, start: max(window.start, 0), probability: window.probability) }
        return ["\(window.probability)", VariantRenderer.decimal(ScoreBins.logit(window.probability), 4),
                p.map { VariantRenderer.decimal(-log10(max($0, 1e-300)), 4) } ?? ".", window.reverse ? "-" : "+", String(window.start + 1)]
    }

    /// `value` with `places` decimals, rounded half away from zero; with `signed`, a + before positives.
    static func decimal(_ value: Double, _ places: Int, signed: Bool = false) -> String {
        guard value.isFinite else { return "." }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = Int((abs(value) * scale).rounded(.toNearestOrAwayFromZero))
        let unit = Int(scale)
        var fraction = String(scaled % unit)
        fraction = String(repeating: "0", count: places - fraction.count) + fraction
        let sign = value < 0 && scaled > 0 ? "-" : (signed && scaled > 0 ? "+" : "")
        return "\(sign)\(scaled / unit).\(fraction)"
    }
}

extension VariantRenderer {
    static let tsvHeader = (["#CHROM", "POS", "ID", "REF", "ALT"] + VariantFields.fields.map { String($0.id.dropFirst(VariantFields.prefix.count)) }
        + ["REF_MISMATCH"]).joined(separator: "\t")

    /// One row per ALT allele: the record's first five columns (ALT: this allele), the
    /// fields' values, and whether REF differs from the FASTA.
    func tsvLines(_ line: VariantLine, _ effect: VariantEffect) -> [UInt8] {
        var tabs: [Int] = []
        for (i, byte) in line.bytes.enumerated() where byte == 0x09 {
            tabs.append(i)
            if tabs.count == 4 { break }
        }
        guard tabs.count == 4 else { return [] }
        let first = Array(line.bytes[..<tabs[3]])
        var out: [UInt8] = []
        for (allele, values) in zip(line.alternates, columns(effect)) {
            out += first + [0x09] + allele
            for value in values + [effect.referenceMismatch ? "1" : "0"] { out += [0x09] + Array(value.utf8) }
            out.append(0x0A)
        }
        return out
    }
}
