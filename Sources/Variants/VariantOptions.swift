import Model
import Scoring

/// How `variants` writes its results.
public enum VariantFormat: String, Sendable, CaseIterable {
    /// The input VCF with INFO fields added (`VariantFields`).
    case vcf
    /// One row per ALT allele.
    case tsv
}

public struct VariantOptions: Sendable {
    public var format = VariantFormat.vcf
    /// A REF that does not match the FASTA is an error instead of a warning.
    public var strict = false
    public var threads = WorkerThreads.available
    /// The genome's background (`annotate background`); nil: made from the FASTA first.
    public var background: String?
    public init() {}
}
