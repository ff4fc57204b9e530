import Foundation

/// How the default recipe chose between the trained network and the motif network, as the
/// log line and the model file record it.
public struct ModelChoice: Sendable {
    /// The motif found by EM in the training positives.
    public var motif: DiscoveredMotif
    /// Each candidate's AUPRC on the held-out tenth (best strand of each sequence).
    public var networkAUPRC: Double
    public var motifAUPRC: Double
    public var heldOut: Int
    public var keptMotif: Bool
    public var seconds: Double

    /// `Model choice: network val_auprc 0.9412, motif (EM, 19 bp, CTATAAAAGGCGGGG) 0.9633 on 150 held-out sequences; kept: motif - 3.20s`
    public var line: String {
        "Model choice: network val_auprc \(fixed(networkAUPRC, 4)), motif (EM, \(motif.width) bp, \(motif.consensus)) \(fixed(motifAUPRC, 4))"
            + " on \(heldOut) held-out sequences; kept: \(keptMotif ? "motif" : "network") - \(fixed(seconds, 2))s"
    }
}

extension Trainer {
    /// The default recipe's second candidate for a site that varies: the motif EM finds in
    /// the training positives (`MotifDiscovery`), as a network (`DiscoveredMotif.network`)
    /// calibrated by logistic regression on the training sequences. It is kept unless the
    /// trained network ranks the held-out tenth better by more than
    /// `Recipe.motifChoiceMargin` of AUPRC: of two models that rank held-out data alike, the
    /// one with 4·width weights fitted to every positive generalises further.
    ///
    /// Why: where sites vary as sites sampled from a matrix do, what separates them from a
    /// genome's chance copies of their core is the weak positions around it. About 1,000
    /// positives teach a discriminative network those poorly and a generative fit well: on
    /// TBP's 15-bp matrix the network found 0.3–0.45× the matrix's sites at 10 false regions
    /// per 10 Mbp, EM's motif 0.8–0.9×. A site that is one word (`LabelledSiteKmers`) keeps
    /// the network: its one-mismatch copies are not sites, and only mining teaches that.
    func choose(network: Network, fit: LabelledSequences, validation: LabelledSequences, length: Int,
                progress: (TrainingEvent) -> Void) throws(ModelError) -> (Network, ModelChoice?) {
        guard options.resolvedMotifCandidate else { return (network, nil) }
        let started = ContinuousClock.now
        let positives = zip(fit.records, fit.labels).filter { $0.1 }.map(\.0.bases)
        let negatives = zip(fit.records, fit.labels).filter { !$0.1 }.map(\.0.bases)
        // One word, read at the narrowest width the recipe tries, so that it does not hang on
        // the width the network chose: every 8-mer of a longer word is in all its positives.
        let words = LabelledSiteKmers(positives: positives, negatives: negatives, length: options.recipe.kernelSizes.min() ?? 8)
        guard words.coverage < options.recipe.oneWordCoverage, validation.labels.contains(true), validation.labels.contains(false),
              let motif = MotifDiscovery().discover(positives: positives, negatives: negatives)
        else { return (network, nil) }
        let fitScores = fit.records.map { motif.bestScore($0.bases) }
        let (slope, intercept) = motif.calibration(logisticFit(fitScores, fit.labels))
        let candidate = try motif.network(inputLength: length, slope: Float(slope), intercept: Float(intercept))

        let heldOut = Nucleotide.oneHot(validation.records.map(\.bases))
        /// Both candidates read each held-out sequence on its better strand, as the motif does.
        func heldOutAUPRC(_ net: Network) -> Double {
            var bestStrand = net
            bestStrand.bestStrand = true
            let scores = bestStrand.predict(oneHot: heldOut, count: validation.count)
            return Metrics.averagePrecision(scores: scores, labels: validation.labels) ?? 0
        }
        let networkAUPRC = heldOutAUPRC(network), motifAUPRC = heldOutAUPRC(candidate)
        let keepsMotif = motifAUPRC >= networkAUPRC - options.recipe.motifChoiceMargin
        let choice = ModelChoice(motif: motif, networkAUPRC: networkAUPRC, motifAUPRC: motifAUPRC, heldOut: validation.count,
                                 keptMotif: keepsMotif, seconds: (ContinuousClock.now - started).seconds)
        progress(.choice(choice))
        return (keepsMotif ? candidate : network, choice)
    }
}

