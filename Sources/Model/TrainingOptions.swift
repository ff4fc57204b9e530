/// A named set of training hyper-parameters.
public enum Recipe: String, Sendable, CaseIterable {
    /// annotate's recipe, made for genome scans, where a site is one window among about 10⁵
    /// of background, and for any TF (it knows no site). The `global` architecture, its
    /// first convolution's width chosen by cross-validation (`KernelWidthChoice`); binary
    /// cross-entropy; batches of 10 labelled sequences plus 10 fresh background windows for
    /// each (an order-2 Markov chain fitted to the training negatives, a fifth of them with
    /// a low-complexity stretch), each weighing 0.1 of a labelled sequence; Adam 1e-3 with
    /// decoupled weight decay 0.01; 30 epochs; and 8 rounds of hard-negative mining spread
    /// over them: 60 Mbp of fresh background, each 64-kbp stretch with its own G+C and
    /// dinucleotide composition and with homopolymers, tandem repeats and purine-rich runs,
    /// is scanned on both strands with the current model, and the windows it scores at
    /// p ≥ 0.03 (at most 4000 a round, thinned to one per 4 bp and strand, leaving out those
    /// that score like the held-out positives, or, for a one-word site, hold it) join the
    /// training set as negatives. The epoch kept is chosen on the held-out tenth.
    case `default`
    /// The notebook exactly: MSE, batch 10, 10 epochs, Adam 1e-3, no early stopping.
    case notebook

    public var loss: Loss { self == .notebook ? .mse : .bce }
    public var epochs: Int { self == .notebook ? 10 : 30 }
    public var batchSize: Int { 10 }
    /// AdamW's decoupled weight decay (Loshchilov & Hutter 2019).
    public var weightDecay: Float { self == .notebook ? 0 : 0.01 }
    /// Fresh background windows per labelled sequence in every batch.
    public var backgroundRatio: Int { self == .notebook ? 0 : 10 }
    /// The loss weight of one background window relative to a labelled sequence's.
    public var backgroundWeight: Float { self == .notebook ? 1 : 0.1 }
    /// The layer stack the recipe trains unless told otherwise.
    public var architecture: Architecture { self == .notebook ? .seed : .global }
    /// The share of per-batch background windows that carry a low-complexity stretch.
    public var lowComplexityShare: Double { 0.2 }
    /// Rounds of hard-negative mining, spread over the epochs.
    public var miningRounds: Int { self == .notebook ? 0 : 8 }
    /// Background bases scanned (on both strands) per mining round, for the `seed` shape,
    /// which the scan's fast kernels score; other architectures, when asked to mine, scan a
    /// hundredth of it through the general forward pass.
    public var miningBases: Int { 60_000_000 }
    /// Windows at or above this probability are mining candidates.
    public var miningThreshold: Float { 0.03 }
    /// The most windows one mining round adds.
    public var miningMaximumAdded: Int { 4_000 }
    /// Mined windows on one strand of a stretch are at least this many bases apart.
    public var miningSpacing: Int { 4 }
    /// The loss weight of a mined negative, relative to a labelled sequence's.
    public var miningWeight: Float { 1 }
    /// Background windows scoring at least this quantile of the held-out positives'
    /// probabilities are not mined: they score like sites.
    public var miningCeilingQuantile: Double { 0.25 }
    /// The share of the positives holding one of the labelled k-mers (`LabelledSiteKmers`)
    /// from which the site counts as one word, which those k-mers keep out of mining instead
    /// of the ceiling.
    public var oneWordCoverage: Double { 0.9 }
    /// Whether the first convolution's width is chosen from the data (`Trainer.chosenKernelSize`).
    public var choosesKernelSize: Bool { self != .notebook }
    /// The widths tried: the fast scan serves each.
    public var kernelSizes: [Int] { [8, 12, 16, 20] }
    /// Cross-validation folds, and epochs of each trial run.
    public var widthFolds: Int { 3 }
    public var widthTrialEpochs: Int { 20 }
    /// How far below the best mean AUPRC a wider width may be and still be chosen.
    public var widthTolerance: Double { 0.0005 }
    /// Whether the epoch kept is chosen on the held-out tenth (`Trainer.chosenEpoch`)
    /// rather than the last; the notebook keeps the last, as Keras does.
    public var choosesEpoch: Bool { self != .notebook }
    /// How far below the best validation AUPRC a later epoch may be and still be kept.
    public var epochChoiceTolerance: Double { 0.002 }
    /// Whether a motif found by EM competes with the trained network (`Trainer.choose`).
    public var motifCandidate: Bool { self != .notebook }
    /// How much higher the trained network's held-out AUPRC must be than the motif's for the
    /// network to be kept over it.
    public var motifChoiceMargin: Double { 0.005 }
}

/// Everything that decides a training run. With the same options and data, the weights
/// are the same bit for bit.
public struct TrainingOptions: Sendable {
    /// nil: the recipe's (`global` for the default recipe, `seed` for the notebook's).
    public var architecture: Architecture?
    /// The first convolution's width and filter count; nil: the architecture's own.
    public var kernelSize: Int?
    public var filters: Int?
    public var recipe: Recipe = .default
    public var loss: Loss?
    public var epochs: Int?
    public var batchSize: Int?
    public var learningRate: Float = 0.001
    public var weightDecay: Float?
    public var backgroundRatio: Int?
    /// The loss weight of one fresh background window relative to a labelled sequence's.
    public var backgroundWeight: Float?
    public var lowComplexityShare: Double?
    public var miningRounds: Int?
    public var miningBases: Int?
    public var miningThreshold: Float?
    public var miningMaximumAdded: Int?
    public var miningSpacing: Int?
    public var miningWeight: Float?
    /// See `Recipe.miningCeilingQuantile`; 1 mines whatever scores below the best held-out positive.
    public var miningCeilingQuantile: Double?
    /// Leave out of mining the windows that hold a k-mer common in the labelled positives
    /// (`LabelledSiteKmers`).
    public var excludeLabelledSites = true
    /// Seeds the one generator behind initialisation, shuffling, background and dropout.
    public var seed: UInt32 = 0
    /// The fraction of the training split held out from its tail, as Keras's `validation_split`.
    public var validationFraction = 0.1
    /// Scores background windows for hard-negative mining; the CLI passes the scan's kernels.
    /// The mined windows, and so the weights, depend on it only through the probabilities it
    /// gives, which must be the model's own.
    public var hitFinder: HitFinderFactory = { ForwardPassHitFinder(network: $0) }
    /// Keep the last epoch's weights even when the recipe chooses among epochs (the width
    /// trials do: their held-out folds score them).
    package var keepsLastEpoch = false
    /// Let a motif found by EM compete with the trained network (`Trainer.choose`); nil: with
    /// the default recipe, when the network is `global` and its shape was not given.
    public var motifCandidate: Bool?
    /// Threads that score mining stretches; the weights do not depend on it.
    public var threads = 1

    public init() {}

    public var resolvedArchitecture: Architecture { architecture ?? recipe.architecture }
    public var resolvedLoss: Loss { loss ?? recipe.loss }
    public var resolvedEpochs: Int { epochs ?? recipe.epochs }
    public var resolvedBatchSize: Int { batchSize ?? recipe.batchSize }
    public var resolvedWeightDecay: Float { weightDecay ?? recipe.weightDecay }
    /// Background and mining default to off for architectures without the scan's fast
    /// kernels: they mine through the general forward pass (about 10⁴ windows/s), and the
    /// `deep` stack falls into predicting the majority class when background outnumbers
    /// its labelled data.
    public var resolvedBackgroundRatio: Int { backgroundRatio ?? (fastScan ? recipe.backgroundRatio : 0) }
    public var resolvedBackgroundWeight: Float { backgroundWeight ?? recipe.backgroundWeight }
    public var resolvedLowComplexityShare: Double { lowComplexityShare ?? recipe.lowComplexityShare }
    public var resolvedMiningRounds: Int { miningRounds ?? (fastScan ? recipe.miningRounds : 0) }
    public var resolvedMiningBases: Int { miningBases ?? (fastScan ? recipe.miningBases : recipe.miningBases / 100) }
    private var fastScan: Bool { resolvedArchitecture.hasFastScan }
    public var resolvedMiningThreshold: Float { miningThreshold ?? recipe.miningThreshold }
    public var resolvedMiningMaximumAdded: Int { miningMaximumAdded ?? recipe.miningMaximumAdded }
    public var resolvedMiningSpacing: Int { miningSpacing ?? recipe.miningSpacing }
    public var resolvedMiningWeight: Float { miningWeight ?? recipe.miningWeight }
    public var resolvedMotifCandidate: Bool {
        motifCandidate ?? (recipe.motifCandidate && resolvedArchitecture == .global && kernelSize == nil && filters == nil)
    }
    public var resolvedMiningCeilingQuantile: Double { miningCeilingQuantile ?? recipe.miningCeilingQuantile }

    /// The epochs after which a mining round runs: rounds spread evenly, the last one
    /// followed by as many epochs as lie between two rounds.
    public var miningEpochs: [Int] {
        let rounds = resolvedMiningRounds, epochs = resolvedEpochs
        guard rounds > 0 else { return [] }
        return (1...rounds).map { $0 * epochs / (rounds + 1) }.filter { $0 >= 1 && $0 < epochs }
    }
}
