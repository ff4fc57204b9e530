import Model

/// Which strands a scan scores.
public enum StrandChoice: String, Sendable, CaseIterable {
    case both
    case forward = "+"
    case reverse = "-"

    public var scoresForward: Bool { self != .reverse }
    public var scoresReverse: Bool { self != .forward }
}

/// Scores every `step`-th window of a stretch of bases on one or both strands.
///
/// `codes` are `Nucleotide.code` values (0–3, 4 for anything else). Window `w` starts at
/// `firstWindow + w · step` (offsets into `codes`). The − strand probability of a window is
/// the model's output on its reverse complement. Probabilities are written to `forward`
/// and `reverse` (one per window); windows the caller marked unscorable are skipped.
///
/// `precision` says which probabilities must be the scorer's reference values, bit for bit.
///
/// With `tally`, each scored window's logit is counted there (`LogitHistogram.count` bins).
protocol WindowScorer: Sendable {
    func score(
        codes: UnsafeBufferPointer<UInt8>, firstWindow: Int, step: Int, windows: Int, scorable: UnsafeBufferPointer<Bool>,
        strands: StrandChoice, precision: ScoringPrecision,
        forward: UnsafeMutableBufferPointer<Float>, reverse: UnsafeMutableBufferPointer<Float>,
        tally: UnsafeMutablePointer<UInt64>?
    )

    /// Bases per work item when the user names none: about the same scoring time per chunk
    /// for every model.
    var preferredChunkBases: Int { get }
}

extension WindowScorer {
    func score(
        codes: UnsafeBufferPointer<UInt8>, firstWindow: Int, step: Int, windows: Int, scorable: UnsafeBufferPointer<Bool>,
        strands: StrandChoice, precision: ScoringPrecision,
        forward: UnsafeMutableBufferPointer<Float>, reverse: UnsafeMutableBufferPointer<Float>
    ) {
        score(codes: codes, firstWindow: firstWindow, step: step, windows: windows, scorable: scorable, strands: strands,
              precision: precision, forward: forward, reverse: reverse, tally: nil)
    }
}

/// Which windows must get reference values.
struct ScoringPrecision: Sendable {
    /// Probabilities at or above this are reference values; nil: every window.
    var threshold: Float?
    /// What a window proven below the threshold gets: the fast path's approximation (within
    /// 1e-5 of the reference), or 0 when only the passing windows matter (it saves a sigmoid
    /// per window).
    var approximateBelow = true
    /// Whether the scorer tallies every scored window's logit (`LogitHistogram`, for a scan
    /// report): the fast path's for windows proven below the threshold, the reference's for the others.
    var tallyLogits = false

    static let exact = ScoringPrecision(threshold: nil)
}

/// The fast scorer when the architecture allows it, else the general one.
func makeWindowScorer(for network: Network) -> any WindowScorer {
    SeedWindowScorer(network: network) ?? BatchedWindowScorer(network: network)
}
