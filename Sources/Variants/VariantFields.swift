import Significance

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
