/// Which windows must get reference values.
package struct ScoringPrecision: Sendable {
    /// Probabilities at or above this are reference values; nil: every window.
    var threshold: Float?
    /// What a window proven below the threshold gets: the fast path's approximation (within
    /// 1e-5 of the reference), or 0 when only the passing windows matter (it saves a sigmoid
    /// per window).
    package var approximateBelow = true
    /// Whether the scorer tallies every scored window's logit (`LogitHistogram`, for a scan
    /// report): the fast path's for windows proven below the threshold, the reference's for the others.
    package var tallyLogits = false
    /// Whether windows get their logits instead of their probabilities (what the background's
    /// decoys are tallied by): the fast path's for the windows it proves below the
    /// threshold, and for the others their reference probability's (`ScoreBins.logit`), as
    /// a Float. Implies `approximateBelow`.
    package var logits = false

    package init(threshold: Float?, approximateBelow: Bool = true, tallyLogits: Bool = false, logits: Bool = false) {
        (self.threshold, self.approximateBelow, self.tallyLogits, self.logits) = (threshold, approximateBelow, tallyLogits, logits)
    }

    package static let exact = ScoringPrecision(threshold: nil)
}
