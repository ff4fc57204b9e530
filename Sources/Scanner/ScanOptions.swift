#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a scan scores windows: which ones, on which strands, on how many threads.
public struct ScoringOptions: Sendable {
    /// Spacing of window starts, in bases; windows start at multiples of `step`.
    public var step = 1
    public var strands = StrandChoice.both
    /// Leave out windows that touch a lowercase (soft-masked) base.
    public var skipSoftMasked = false
    public var threads = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    /// Bases per work item; consecutive pieces of one record overlap by window − 1 bases,
    /// and records shorter than this share a work item. Nil: sized to the model's scoring
    /// cost (`WindowScorer.preferredChunkBases`), so that a record of a few hundred kbp
    /// still makes work for every thread.
    public var chunkBases: Int?
    /// Score only the windows inside these intervals (nil: every window).
    public var regions: ScanRegions?
    /// The largest chunk: 16 Mbp, about 180 MB of working memory a chunk in flight (bases,
    /// codes, the scorable mask and both strands' probabilities), with 4 in flight a worker.
    public static let maximumChunkBases = 1 << 24
    /// Score every window with the reference-order kernel, instead of first proving most
    /// windows below the threshold with the fast one. The output is the same; this is slower
    /// and exists to check exactly that.
    package var referenceKernelOnly = false

    public init() {}
}

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
    /// bedGraph and bigWig: the larger of the two strands' probabilities at each position
    /// (both strands are scored), instead of one strand's.
    public var largerStrand = false

    public init() {}
}

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
}

/// What a scan read and wrote.
public struct ScanSummary: Sendable, Equatable {
    public var records = 0
    public var bases = 0
    public var windowsScored = 0
    public var linesWritten = 0
    /// With statistics: the decoy windows scored, and an upper bound on the written lines
    /// that background alone would give.
    public var decoyWindows: Int?
    public var expectedFalse: Double?

    public var description: String {
        var text = "\(records) records, \(bases) bases, \(windowsScored) windows scored, \(linesWritten) lines written"
        if let decoyWindows, let expectedFalse {
            text += "; at most \(ScanSummary.twoDecimals(expectedFalse)) of them expected from background (\(decoyWindows) decoy windows scored)"
        }
        return text
    }

    /// A non-negative value with 2 decimals.
    static func twoDecimals(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

/// How far a scan has come, for a progress display.
public struct ScanProgress: Sendable, Equatable {
    /// Bases written so far, over all inputs.
    public var bases: Int
    /// Bytes of the current input consumed so far, and its size when known (a regular file).
    public var inputDone: Int
    public var inputTotal: Int?
    /// True while the background pass reads the input (a scan with statistics reads it twice).
    public var isBackground = false
}
