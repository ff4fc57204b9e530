/// Output formats for scan results.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// BED6+1: chrom, start, end, name, score (round(1000·p)), strand, probability.
    case bed
    /// ENCODE narrowPeak (BED6+4): signalValue = max p, pValue = qValue = −1, peak = offset
    /// of the best window's centre from the region start.
    case narrowpeak
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
