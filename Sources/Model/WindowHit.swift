/// A window of a stretch of bases that scored at or above a threshold.
public struct WindowHit: Sendable, Equatable {
    /// 0-based start of the window on the forward strand of the stretch.
    public var start: Int
    /// Scored on the reverse complement.
    public var reverse: Bool
    public var probability: Float

    public init(start: Int, reverse: Bool, probability: Float) {
        self.start = start
        self.reverse = reverse
        self.probability = probability
    }
}

/// Finds the windows of a stretch of bases that score at or above a threshold, on both
/// strands. Hard-negative mining scans generated background with it.
///
/// The windows of `bases` that start at multiples of `step` (`0, step, … ≤ count − L`) are
/// scored; the − strand scores the reverse complement. The hits' probabilities must be the model's values (the
/// same bytes for the same network and bases, whatever else runs), in any order.
public protocol WindowHitFinding: Sendable {
    func hits(in bases: [UInt8], step: Int, threshold: Float) -> [WindowHit]
}

/// Makes the hit finder for a network: the scan's kernels (Scoring's `ScanHitFinder`), or
/// the plain forward pass.
public typealias HitFinderFactory = @Sendable (Network) -> any WindowHitFinding
