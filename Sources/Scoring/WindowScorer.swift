import Model

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
package protocol WindowScorer: Sendable {
    func score(
        codes: UnsafeBufferPointer<UInt8>, firstWindow: Int, step: Int, windows: Int, scorable: UnsafeBufferPointer<Bool>,
        strands: StrandChoice, precision: ScoringPrecision,
        forward: UnsafeMutableBufferPointer<Float>, reverse: UnsafeMutableBufferPointer<Float>,
        tally: UnsafeMutablePointer<UInt64>?
    )

    /// Bases per work item when the user names none: about the same scoring time per chunk
    /// for every model.
    var preferredChunkBases: Int { get }

    /// The proven bound on |fast logit − reference logit| of the windows the scorer proves
    /// below a threshold with its fast kernel (`FastPath.logitError`), or nil when every
    /// window gets the reference value (the general forward pass).
    var logitErrorBound: Double? { get }
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

/// The fast scorer when the architecture allows it, else the general one.
package func makeWindowScorer(for network: Network) -> any WindowScorer {
    SeedWindowScorer(network: network) ?? BatchedWindowScorer(network: network)
}
