import Significance

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
