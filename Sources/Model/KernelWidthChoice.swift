/// One candidate width of the first convolution, as cross-validation scored it.
public struct WidthTrial: Sendable {
    public var kernelSize: Int
    public var folds: Int
    /// The mean over the folds of the held-out fold's AUPRC.
    public var auprc: Double
    public var seconds: Double

    package init(kernelSize: Int, folds: Int, auprc: Double, seconds: Double) {
        self.kernelSize = kernelSize
        self.folds = folds
        self.auprc = auprc
        self.seconds = seconds
    }

    /// `Width 12: mean validation AUPRC 0.9912 over 3 folds - 4.10s`
    public var line: String {
        "Width \(kernelSize): mean validation AUPRC \(fixed(auprc, 4)) over \(folds) folds - \(fixed(seconds, 2))s"
    }
}

extension Trainer {
    /// The first convolution's width, chosen from the data when the recipe chooses it and
    /// the user named none: each of `Recipe.kernelSizes` trains briefly on the labelled
    /// sequences alone (no background or mining) in `Recipe.widthFolds`-fold cross-validation
    /// over the fitting part, and the width with the best mean held-out AUPRC wins, the
    /// widest of those within `Recipe.widthTolerance` of it. A filter much wider than the
    /// site reads random flanks and overfits, one narrower cannot hold it: on sites sampled
    /// from JASPAR matrices of 8–20 bp, the best width's test AUC was up to 0.04 above 12's.
    /// Of widths that rank the labelled sequences equally, the widest sees the most of the
    /// site in one filter, which is what keeps its partial copies in a genome apart (the
    /// seed's 12-mer ties at widths 8 and 12; at 8 the model calls ten times more background).
    func chosenKernelSize(
        fit: LabelledSequences, length: Int, random: inout MersenneTwister, progress: (TrainingEvent) -> Void
    ) throws(ModelError) -> (kernelSize: Int?, trials: [WidthTrial]) {
        let recipe = options.recipe
        guard options.kernelSize == nil, recipe.choosesKernelSize, options.resolvedArchitecture == .global else {
            return (options.kernelSize, [])
        }
        let widths = recipe.kernelSizes.filter { $0 < length }
        let folds = recipe.widthFolds
        guard widths.count > 1, fit.count >= 4 * folds else { return (nil, []) }
        var trial = options
        trial.backgroundRatio = 0
        trial.miningRounds = 0
        trial.epochs = recipe.widthTrialEpochs
        trial.keepsLastEpoch = true
        // Every trial's seed is drawn before any trial runs, in one fixed order.
        let seeds = widths.map { _ in (0..<folds).map { _ in random.nextUInt32() } }
        var trials = [WidthTrial]()
        for (w, width) in widths.enumerated() {
            let started = ContinuousClock.now
            trial.kernelSize = width
            var total = 0.0
            for fold in 0..<folds {
                let held = (0..<fit.count).filter { $0 % folds == fold }, kept = (0..<fit.count).filter { $0 % folds != fold }
                let validation = fit.subset(held)
                var generator = MersenneTwister(seed: seeds[w][fold])
                let run = try Trainer(options: trial).fitRun(fit.subset(kept), validation: validation, length: length,
                                                             random: &generator, progress: { _ in })
                total += run.history.last?.validationAUPRC ?? 0
            }
            let result = WidthTrial(kernelSize: width, folds: folds, auprc: total / Double(folds),
                                    seconds: (ContinuousClock.now - started).seconds)
            trials.append(result)
            progress(.width(result))
        }
        return (Trainer.widestNearBest(trials, tolerance: recipe.widthTolerance), trials)
    }

    /// The widest width whose mean AUPRC is within `tolerance` of the best; nil for none.
    package static func widestNearBest(_ trials: [WidthTrial], tolerance: Double) -> Int? {
        guard let best = trials.map(\.auprc).max() else { return nil }
        return trials.filter { $0.auprc >= best - tolerance }.map(\.kernelSize).max()
    }
}
