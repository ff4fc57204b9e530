/// What one round of hard-negative mining did, for the training log.
public struct MiningReport: Sendable {
    public var round: Int
    public var rounds: Int
    /// The epoch after which the round ran.
    public var afterEpoch: Int
    public var bases: Int
    /// Windows scored, both strands counted.
    public var windowsScanned: Int
    /// Windows at p ≥ 0.5: the current model's calls on background DNA.
    public var windowsCalled: Int
    /// Windows at or above the mining threshold, before thinning (and before exclusion).
    public var candidates: Int
    /// Candidates left out because they hold a k-mer common in the labelled positives.
    public var excluded: Int
    /// Candidates left out because they score like the held-out positives (`Trainer.miningCeiling`).
    public var likePositives: Int
    public var added: Int
    public var poolSize: Int
    public var seconds: Double

    /// The share of background windows the current model calls.
    public var falsePositiveRate: Double { windowsScanned > 0 ? Double(windowsCalled) / Double(windowsScanned) : 0 }

    /// `Mining 2/8 after epoch 6: 8000000 windows (4.0 Mbp background, both strands), 1234 at p >= 0.5 (FPR 1.5e-04); 5012 candidates, 40 holding a labelled site, 1000 added, pool 2000 - 0.61s`
    public var line: String {
        "Mining \(round)/\(rounds) after epoch \(afterEpoch): \(windowsScanned) windows (\(fixed(Double(bases) / 1e6, 1)) Mbp background, both strands), "
            + "\(windowsCalled) at p >= 0.5 (FPR \(scientific(falsePositiveRate))); \(candidates) candidates, \(excluded) holding a labelled site, "
            + "\(likePositives) scoring like a held-out site, \(added) added, pool \(poolSize) - \(fixed(seconds, 2))s"
    }
}

/// `1.5e-04`, as `%.1e` prints.
public func scientific(_ value: Double) -> String {
    String(format: "%.1e", value)
}
