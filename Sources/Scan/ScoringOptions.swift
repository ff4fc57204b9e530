import GenomeIO
import Scoring

/// How a scan scores windows: which ones, on which strands, on how many threads.
public struct ScoringOptions: Sendable {
    /// Spacing of window starts, in bases; windows start at multiples of `step`.
    public var step = 1
    public var strands = StrandChoice.both
    /// Leave out windows that touch a lowercase (soft-masked) base.
    public var skipSoftMasked = false
    public var threads = WorkerThreads.available
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
