import Significance

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One VCF data line, read for `variants`: where its columns are, and its alleles.
struct VariantLine: Sendable {
    /// The line without its newline.
    let bytes: [UInt8]
    /// Where the INFO column starts and ends in `bytes`.
    let info: Range<Int>
    let chromosome: String
    /// 1-based, as VCF writes it.
    let position: Int
    let reference: [UInt8]
    /// Each ALT allele as written (`.` for none is no allele).
    let alternates: [[UInt8]]

    /// Parses a data line (no newline); nil with a reason when it is not one.
    static func parse(_ line: [UInt8]) -> (VariantLine?, String?) {
        var tabs: [Int] = []
        for (i, byte) in line.enumerated() where byte == 0x09 {
            tabs.append(i)
            if tabs.count == 8 { break }
        }
        guard tabs.count >= 7 else { return (nil, "a VCF data line has at least 8 tab-separated columns") }
        let infoEnd = tabs.count == 8 ? tabs[7] : line.count
        let chromosome = String(decoding: line[0..<tabs[0]], as: UTF8.self)
        let positionText = line[(tabs[0] + 1)..<tabs[1]]
        guard !chromosome.isEmpty, let position = Int(String(decoding: positionText, as: UTF8.self)), position >= 0, position < 1 << 48 else {
            return (nil, "POS is not a position")
        }
        let reference = Array(line[(tabs[2] + 1)..<tabs[3]])
        guard !reference.isEmpty, reference.allSatisfy({ "ACGTNacgtn".utf8.contains($0) }) else {
            return (nil, "REF is not made of A, C, G, T and N")
        }
        let alt = line[(tabs[3] + 1)..<tabs[4]]
        let alternates = alt.elementsEqual(".".utf8) ? [] : alt.split(separator: 0x2C, omittingEmptySubsequences: false).map(Array.init)
        guard alternates.allSatisfy({ !$0.isEmpty }) else { return (nil, "ALT has an empty allele") }
        return (VariantLine(bytes: line, info: (tabs[6] + 1)..<infoEnd, chromosome: chromosome, position: position,
                            reference: reference, alternates: alternates), nil)
    }

    /// Whether an ALT allele is a sequence (A, C, G, T, N), not symbolic (`<DEL>`), a
    /// breakend or the `*` of an overlapping deletion.
    static func isSequence(_ allele: [UInt8]) -> Bool { allele.allSatisfy { "ACGTNacgtn".utf8.contains($0) } }
}

/// What `variants` found for one record: each ALT allele's REF and ALT best windows, or
/// why it has none.
struct VariantEffect: Sendable {
    enum Allele: Sendable {
        case scored(reference: BestWindow?, alternate: BestWindow?)
        /// Symbolic, breakend, `*`, or the record lies where the FASTA has no bases for it.
        case skipped
    }
    var alleles: [Allele]
    var referenceMismatch: Bool
    /// The record's number in the background (for p-values), or −1.
    var backgroundIndex: Int
}

/// The INFO fields `variants` adds, all `Number=A`, and how they are declared.
enum VariantFields {
    static let prefix = "TFBS_"
    static let mismatch = "TFBS_REF_MISMATCH"
    static let fields: [(id: String, type: String, description: String)] = [
        ("TFBS_REF_P", "Float", "Probability of the best window overlapping the REF allele, on either strand"),
        ("TFBS_ALT_P", "Float", "Probability of the best window overlapping this ALT allele on the ALT haplotype, on either strand"),
        ("TFBS_REF_LOGIT", "Float", "Logit of TFBS_REF_P"),
        ("TFBS_ALT_LOGIT", "Float", "Logit of TFBS_ALT_P"),
        ("TFBS_REF_MLOG10P", "Float", "-log10 p-value of the best REF window against the genome's background"),
        ("TFBS_ALT_MLOG10P", "Float", "-log10 p-value of the best ALT window against the genome's background"),
        ("TFBS_DP", "Float", "TFBS_ALT_P - TFBS_REF_P (in single precision)"),
        ("TFBS_DLOGIT", "Float", "TFBS_ALT_LOGIT - TFBS_REF_LOGIT"),
        ("TFBS_REF_STRAND", "Character", "Strand of the best REF window (+ or -)"),
        ("TFBS_ALT_STRAND", "Character", "Strand of the best ALT window (+ or -)"),
        ("TFBS_REF_POS", "Integer", "1-based start of the best REF window"),
        ("TFBS_ALT_POS", "Integer", "1-based start of the best ALT window on the ALT haplotype (the reference's coordinates up to the variant)"),
    ]

    /// The same as bytes, for the lines written per record.
    static let prefixBytes = Array(prefix.utf8), mismatchBytes = Array(mismatch.utf8), idBytes = fields.map { Array($0.id.utf8) }

    static func headerLines(model: String) -> [String] {
        fields.map { "##INFO=<ID=\($0.id),Number=A,Type=\($0.type),Description=\"\($0.description) (annotate variants, model \(model))\">" }
            + ["##INFO=<ID=\(mismatch),Number=0,Type=Flag,Description=\"REF differs from the FASTA; the REF windows read the FASTA's bases (annotate variants)\">"]
    }

    /// Whether a header line declares one of these fields (replaced when a file is annotated again).
    static func isOurs(_ line: [UInt8]) -> Bool {
        line.starts(with: "##INFO=<ID=\(prefix)".utf8)
    }
}

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
