import Model

/// What `variants` read and wrote.
public struct VariantSummary: Sendable, Equatable {
    public var records = 0
    public var allelesScored = 0
    public var symbolicSkipped = 0
    public var referenceMismatches = 0
    public var missingChromosome = 0
    public var outsideRecord = 0

    public var description: String {
        "\(records) records, \(allelesScored) alleles scored; \(symbolicSkipped) symbolic or * alleles skipped, "
            + "\(referenceMismatches) records whose REF differs from the FASTA, \(missingChromosome) on chromosomes the FASTA lacks, "
            + "\(outsideRecord) outside their chromosome"
    }
}
