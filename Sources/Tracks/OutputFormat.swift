/// Output formats for scan results.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// BED6+3 (BED6+1 without statistics): chrom, start, end, name, score (round(1000·p)),
    /// strand, probability, −log10 p, −log10 q, then the site: siteStart, siteEnd, siteSequence.
    case bed
    /// ENCODE narrowPeak (BED6+4): signalValue = max p, pValue, qValue (−log10; −1 without
    /// statistics), peak = offset of the site's centre from the region start.
    case narrowpeak
    /// A tab-separated table with a header row: the BED's columns named, p- and q-values as
    /// numbers, and the site.
    case tsv
    /// GFF3: one TF_binding_site line per region, 1-based, with the probability, p, q and the
    /// site as attributes.
    case gff3
    /// UCSC bedGraph of one strand's per-window probability at window centres, span = step.
    case bedgraph
    /// UCSC bigWig of the bedGraph's values, with zoom levels; needs a file (`-o`).
    case bigwig
    /// UCSC bigBed of the BED regions with their columns and an autoSql definition; needs a file.
    case bigbed

    /// Whether the format writes regions of the windows that pass (the BED family), which
    /// can have statistics, rather than every window's value (bedGraph, bigWig).
    package var hasRegions: Bool { self != .bedgraph && self != .bigwig }
}
