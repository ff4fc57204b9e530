/// What a scan writes: the format, which windows make it in, and the columns' text.
public struct OutputOptions: Sendable {
    public var format = OutputFormat.bed
    /// Keep windows with probability ≥ threshold (BED and narrowPeak). Nil: 0.5, or no
    /// probability cut when `maximumP` or `maximumQ` is set.
    public var threshold: Float?
    /// Give every window and region a p-value against a background drawn from the input
    /// itself, and every region a q-value (BED and narrowPeak; `GenomeBackground`).
    public var statistics = true
    /// With statistics: keep windows with p ≤ this. Nil: no p-value cut, or 0.001 when only
    /// `maximumQ` is set (the windows that candidate regions are merged from).
    public var maximumP: Double?
    /// With statistics: keep regions (windows without merging) with q ≤ this.
    public var maximumQ: Double?

    /// The probability cut that applies.
    public var probabilityCut: Float {
        threshold ?? (statistics && (maximumP != nil || maximumQ != nil) ? 0 : 0.5)
    }

    /// The p-value cut that applies to windows.
    public var pValueCut: Double? {
        guard statistics else { return nil }
        return maximumP ?? (maximumQ != nil && threshold == nil ? 0.001 : nil)
    }

    /// Merge same-strand windows that overlap or touch into one region.
    public var merge = true
    /// The BED name column (default: the model's name).
    public var name: String?
    public var trackLine = false

    public init() {}
}
