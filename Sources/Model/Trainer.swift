/// The outcome of a training run.
public struct TrainingResult: Sendable {
    public var network: Network
    public var test: Evaluation
    public var history: [EpochReport]
    public var mining: [MiningReport]
    /// The widths of the first convolution tried, when the recipe chose it.
    public var widths: [WidthTrial]
    /// The 1-based epoch whose weights were kept.
    public var bestEpoch: Int
    /// The choice between the trained network and a motif found by EM, when the recipe made one.
    public var choice: ModelChoice?
    /// Why the kept model is no use, in one sentence, or nil: its validation ranking is no
    /// better than chance, or it gives every held-out sequence the same class.
    public var failure: String?
}

/// Trains a network on labelled sequences with the notebook's split.
public struct Trainer {
    public var options: TrainingOptions

    public init(options: TrainingOptions) {
        self.options = options
    }

    /// Trains on `data` (split as the notebook does), reporting each epoch and mining round
    /// to `progress`.
    public func train(_ data: LabelledSequences, progress: (TrainingEvent) -> Void = { _ in }) throws(ModelError) -> TrainingResult {
        guard let length = data.records.first?.bases.count, data.count >= 8 else {
            throw .invalidInput(path: "training data", line: 0, column: 0, reason: "need at least 8 labelled sequences, got \(data.count)")
        }
        let split = NotebookSplit(count: data.count)
        let validationStart = Int((Double(split.train.count) * (1 - options.validationFraction)).rounded(.down))
        let fit = data.subset(Array(split.train[..<validationStart]))
        let validation = data.subset(Array(split.train[validationStart...]))
        let test = data.subset(split.test)

        var random = MersenneTwister(seed: options.seed)
        let width = try chosenKernelSize(fit: fit, length: length, random: &random, progress: progress)
        var main = self
        main.options.kernelSize = width.kernelSize
        let chosen = try main.fitRun(fit, validation: validation, length: length, random: &random, progress: progress)
        let (kept, choice) = try choose(network: chosen.network, fit: fit, validation: validation, length: length,
                                        progress: progress)
        var network = kept
        let testScores = network.predict(oneHot: Nucleotide.oneHot(test.records.map(\.bases)), count: test.count)
        let evaluation = Evaluation(scores: testScores, labels: test.labels)
        network.training = main.record(data: data, loss: options.resolvedLoss, epochsRun: chosen.history.count,
                                       bestEpoch: chosen.bestEpoch, test: evaluation, mining: chosen.mining,
                                       widths: width.trials, choice: choice)
        let validationScores = network.predict(oneHot: Nucleotide.oneHot(validation.records.map(\.bases)), count: validation.count)
        return TrainingResult(network: network, test: evaluation, history: chosen.history, mining: chosen.mining,
                              widths: width.trials, bestEpoch: chosen.bestEpoch, choice: choice,
                              failure: Trainer.failure(scores: validationScores, labels: validation.labels))
    }

    /// Why a model is no use on the held-out tenth, or nil: a validation AUC within two
    /// standard errors of chance (Hanley & McNeil's null variance, (n₁ + n₀ + 1) / 12n₁n₀),
    /// or every held-out sequence on the same side of 0.5.
    package static func failure(scores: [Float], labels: [Bool]) -> String? {
        let positives = labels.count { $0 }, negatives = labels.count - positives
        if let auc = Metrics.rocAUC(scores: scores, labels: labels), positives > 0, negatives > 0 {
            let n1 = Double(positives), n0 = Double(negatives)
            let chance = 0.5 + 2 * ((n1 + n0 + 1) / (12 * n1 * n0)).squareRoot()
            if auc <= chance {
                return "the model ranks the held-out sequences no better than chance (validation AUC \(fixed(auc, 4)), n=\(labels.count))"
            }
        }
        let called = scores.count { $0 >= 0.5 }
        if scores.count >= 2, called == 0 || called == scores.count {
            return "the model gives all \(scores.count) held-out sequences the same class (p \(called == 0 ? "< 0.5" : ">= 0.5"))"
        }
        return nil
    }

    struct FittedRun {
        var network: Network
        var history: [EpochReport]
        var mining: [MiningReport]
        var bestEpoch: Int
    }

    /// One training run from a fresh initialisation; the weights after the last epoch are kept.
    ///
    /// Each batch holds `batchSize` labelled sequences, then its share of the mined
    /// negatives (each used once per epoch), then `backgroundRatio` fresh background windows
    /// per labelled sequence; every row weighs the same in the loss but the mined ones
    /// (`miningWeight`).
    func fitRun(
        _ fit: LabelledSequences, validation: LabelledSequences, length: Int, random: inout MersenneTwister,
        progress: (TrainingEvent) -> Void
    ) throws(ModelError) -> FittedRun {
        var network = try options.resolvedArchitecture.network(
            inputLength: length, kernelSize: options.kernelSize, filters: options.filters)
        network.initialise(random: &random)
        let (loss, epochs, batchSize) = (options.resolvedLoss, options.resolvedEpochs, options.resolvedBatchSize)
        let ratio = options.resolvedBackgroundRatio, miningEpochs = options.miningEpochs
        let miningWeight = options.resolvedMiningWeight, backgroundWeight = options.resolvedBackgroundWeight
        let choosesEpoch = options.recipe.choosesEpoch && !options.keepsLastEpoch
        var adam = Adam(parameterCount: network.parameterCount, learningRate: options.learningRate)
        adam.weightDecay = options.resolvedWeightDecay
        var gradients = [Float](repeating: 0, count: network.parameterCount)
        let fitInput = Nucleotide.oneHot(fit.records.map(\.bases))
        let fitTargets = Trainer.targets(fit.labels, units: network.outputUnits)
        let sample = network.shapes[0].count, units = network.outputUnits
        let validationInput = Nucleotide.oneHot(validation.records.map(\.bases))
        var (windows, miner) = backgroundSources(fit: fit, network: network)
        /// The mined negatives, one-hot (count, L, 4).
        var mined = [Float]()
        var history = [EpochReport](), miningReports = [MiningReport]()
        /// Each epoch's weights, when the recipe chooses among them.
        var snapshots = [[Float]]()
        var order = Array(0..<fit.count), workspace = Workspace(network: network, capacity: batchSize * (1 + ratio), training: true)
        for epoch in 1...max(epochs, 1) {
            let started = ContinuousClock.now
            random.shuffle(&order)
            let minedCount = mined.count / sample
            var minedOrder = Array(0..<minedCount)
            if minedCount > 0 { random.shuffle(&minedOrder) }
            let batches = (order.count + batchSize - 1) / batchSize
            let capacity = batchSize * (1 + ratio) + (minedCount + batches - 1) / batches
            if capacity > workspace.capacity { workspace = Workspace(network: network, capacity: capacity, training: true) }
            var lossSum = 0.0, correct = 0, rows = 0
            for batch in 0..<batches {
                let real = order[(batch * batchSize)..<min((batch + 1) * batchSize, order.count)]
                let minedRows = minedOrder[(batch * minedCount / batches)..<((batch + 1) * minedCount / batches)]
                let n = real.count + minedRows.count + ratio * real.count
                let rowWeights = Trainer.rowWeights(real: real.count, mined: minedRows.count, count: n,
                                                    miningWeight: miningWeight, backgroundWeight: backgroundWeight)
                let batchTargets = workspace.activations[0].withUnsafeMutableBufferPointer { input in
                    BatchRows(sample: sample, units: units, length: length).fill(
                        input, real: real, inputs: fitInput, targets: fitTargets, minedRows: minedRows, mined: mined,
                        count: n, background: &windows, random: &random)
                }
                var generator: MersenneTwister? = random
                let batchLoss = network.lossAndGradients(&workspace, batch: n, targets: batchTargets, loss: loss,
                                                         random: &generator, parameterGradients: &gradients,
                                                         rowWeights: rowWeights)
                if let generator { random = generator }
                lossSum += batchLoss * Double(n)
                rows += n
                let probabilities = network.probabilities(workspace, batch: n)
                correct += (0..<n).count { (probabilities[$0] > 0.5) == ($0 < real.count && fit.labels[real[real.startIndex + $0]]) }
                adam.update(&network.parameters, gradients: gradients)
            }
            let validationScores = network.predict(oneHot: validationInput, count: validation.count)
            let report = Trainer.epochReport(
                epoch: epoch, epochs: epochs, loss: lossSum / Double(max(rows, 1)), accuracy: Double(correct) / Double(max(rows, 1)),
                scores: validationScores, labels: validation.labels, units: network.outputUnits, lossFunction: loss,
                seconds: (ContinuousClock.now - started).seconds)
            history.append(report)
            if choosesEpoch { snapshots.append(network.parameters) }
            progress(.epoch(report))
            for _ in miningEpochs.filter({ $0 == epoch }) {
                let ceiling = roundCeiling(miner: miner, scores: validationScores, labels: validation.labels)
                var (windows, report) = miner.mine(finder: options.hitFinder(network), windowLength: length,
                                                   threads: options.threads, ceiling: ceiling, random: &random)
                mined += Nucleotide.oneHot(windows)
                (report.round, report.rounds, report.afterEpoch) = (miningReports.count + 1, miningEpochs.count, epoch)
                report.poolSize = mined.count / sample
                miningReports.append(report)
                progress(.mining(report))
            }
        }
        let kept = choosesEpoch ? keptEpoch(history, miningEpochs: miningEpochs) : history.count
        if kept >= 1, kept <= snapshots.count { network.parameters = snapshots[kept - 1] }
        return FittedRun(network: network, history: history, mining: miningReports, bestEpoch: kept)
    }

    /// The epoch whose weights a run keeps (`chosenEpoch`). Mining is what makes a model
    /// specific on a genome, and it lowers the validation AUPRC a little, so only the epochs
    /// after the last round compete.
    private func keptEpoch(_ history: [EpochReport], miningEpochs: [Int]) -> Int {
        let eligible = Array(history.drop { $0.epoch <= (miningEpochs.max() ?? 0) })
        return Trainer.chosenEpoch(eligible.isEmpty ? history : eligible, tolerance: options.recipe.epochChoiceTolerance)
            ?? history.count
    }

    /// One mining round's probability ceiling, or nil. A site that is one word (nearly every
    /// positive holds one of the labelled k-mers) is kept out of mining exactly by those
    /// k-mers, and a window that scores like the positives without the word (a near-copy) is a
    /// false positive to learn from. A site that varies has no such word: then what scores
    /// like the held-out positives is kept out (`miningCeiling`).
    private func roundCeiling(miner: HardNegativeMiner, scores: [Float], labels: [Bool]) -> Float? {
        let siteIsOneWord = (miner.labelledSites?.coverage ?? 0) >= options.recipe.oneWordCoverage
        return siteIsOneWord ? nil
            : Trainer.miningCeiling(scores: scores, labels: labels, quantile: options.resolvedMiningCeilingQuantile)
    }

    /// Each row's loss weight in a batch of `real` labelled rows, then `mined` mined rows, then
    /// background up to `count`, or nil when all are 1. Mined rows together weigh at most as
    /// much as the batch's labelled rows (times `miningWeight`): the pool grows to many times
    /// the labelled set, and at one weight each it would teach the model to say no to everything.
    static func rowWeights(real: Int, mined: Int, count: Int, miningWeight: Float, backgroundWeight: Float) -> [Float]? {
        let backgroundStart = real + mined
        let minedWeight = miningWeight * min(1, Float(real) / Float(max(mined, 1)))
        guard (minedWeight != 1 && mined > 0) || (backgroundWeight != 1 && backgroundStart < count) else { return nil }
        return (0..<count).map { $0 >= backgroundStart ? backgroundWeight : $0 >= real ? minedWeight : 1 }
    }

    /// The epoch to keep: the last one whose validation AUPRC is within `tolerance` of the
    /// best, so that of near-equal epochs the one after the most mining wins; nil without
    /// validation AUPRCs.
    package static func chosenEpoch(_ history: [EpochReport], tolerance: Double) -> Int? {
        guard let best = history.compactMap(\.validationAUPRC).max() else { return nil }
        return history.last { ($0.validationAUPRC ?? -1) >= best - tolerance }?.epoch
    }

    /// The probability from which a background window scores like the held-out positives: the
    /// `quantile` of their probabilities. Such a window is no evidence of a false positive
    /// (for a site sampled from a matrix, background holds real sites), so it is not mined.
    /// Nil without held-out positives.
    package static func miningCeiling(scores: [Float], labels: [Bool], quantile: Double) -> Float? {
        let positives = zip(scores, labels).filter { $0.1 && !$0.0.isNaN }.map(\.0).sorted()
        guard !positives.isEmpty else { return nil }
        let index = min(positives.count - 1, max(0, Int((quantile * Double(positives.count)).rounded(.down))))
        return positives[index]
    }

    /// The two sources of background for a run: per-batch windows and the miner, both from
    /// a background model fitted to the run's negatives.
    private func backgroundSources(fit: LabelledSequences, network: Network) -> (BackgroundSampler, HardNegativeMiner) {
        let negatives = zip(fit.records, fit.labels).filter { !$0.1 }.map(\.0.bases)
        let background = BackgroundModel(fittingTo: negatives)
        // Per-batch windows keep the negatives' own composition: the labelled positives have
        // only that one, so tilted negatives would teach composition itself as evidence
        // against a site (and miss sites in A+T- or G+C-rich DNA). Mining scans tilted
        // compositions, where only what the model actually calls becomes a negative.
        var windows = BackgroundSampler(model: background, lowComplexityRate: options.resolvedLowComplexityShare)
        windows.gcSpread = 0
        windows.dinucleotideSpread = 0
        let kernelWidth: Int = if case let .conv1d(_, width, _, _)? = network.layers.first { width } else { 12 }
        let positives = zip(fit.records, fit.labels).filter { $0.1 }.map(\.0.bases)
        let labelledSites = options.excludeLabelledSites
            ? LabelledSiteKmers(positives: positives, negatives: negatives, length: kernelWidth) : nil
        let miner = HardNegativeMiner(
            sampler: BackgroundSampler(model: background, lowComplexityRate: 1.0 / 2_000),
            bases: options.resolvedMiningBases, threshold: options.resolvedMiningThreshold,
            maximumAdded: options.resolvedMiningMaximumAdded, spacing: options.resolvedMiningSpacing, labelledSites: labelledSites)
        return (windows, miner)
    }

    /// Lays out one batch's rows: the labelled sequences with their targets, then the mined
    /// negatives, then fresh background windows (target 0, or class 0 with two units).
    private struct BatchRows {
        let sample: Int, units: Int, length: Int

        func fill(_ input: UnsafeMutableBufferPointer<Float>, real: ArraySlice<Int>, inputs: [Float], targets: [Float],
                  minedRows: ArraySlice<Int>, mined: [Float], count n: Int,
                  background: inout BackgroundSampler, random: inout MersenneTwister) -> [Float] {
            var batchTargets = [Float](repeating: 0, count: n * units)
            for (row, index) in real.enumerated() {
                for j in 0..<sample { input[row * sample + j] = inputs[index * sample + j] }
                for u in 0..<units { batchTargets[row * units + u] = targets[index * units + u] }
            }
            for (offset, index) in minedRows.enumerated() {
                let row = real.count + offset
                for j in 0..<sample { input[row * sample + j] = mined[index * sample + j] }
            }
            for row in (real.count + minedRows.count)..<n {
                let bases = background.window(length: length, random: &random)
                Nucleotide.oneHot(bases, into: .init(rebasing: input[(row * sample)..<((row + 1) * sample)]))
            }
            if units == 2 {
                for row in real.count..<n { batchTargets[row * units] = 1 }
            }
            return batchTargets
        }
    }

    /// An epoch's report: the training figures given, the validation ones measured now.
    private static func epochReport(epoch: Int, epochs: Int, loss: Double, accuracy: Double, scores: [Float],
                                    labels: [Bool], units: Int, lossFunction: Loss, seconds: Double) -> EpochReport {
        EpochReport(
            epoch: epoch, epochs: epochs, loss: loss, accuracy: accuracy,
            validationLoss: Trainer.loss(lossFunction, scores: scores, labels: labels, units: units),
            validationAccuracy: Metrics.accuracy(scores: scores, labels: labels),
            validationAUC: Metrics.rocAUC(scores: scores, labels: labels),
            validationAUPRC: Metrics.averagePrecision(scores: scores, labels: labels), seconds: seconds)
    }

    /// The loss of class-1 probabilities against labels, as the training loss would see them.
    static func loss(_ loss: Loss, scores: [Float], labels: [Bool], units: Int) -> Double {
        var p = [Float](), y = targets(labels, units: units)
        for score in scores { p += units == 1 ? [score] : [1 - score, score] }
        return p.withUnsafeBufferPointer { p in
            y.withUnsafeBufferPointer { y in loss.value(p, y, rows: scores.count, width: units) }
        }
    }

    /// Targets (count, units): the label itself for one unit, one-hot for two.
    static func targets(_ labels: [Bool], units: Int) -> [Float] {
        labels.flatMap { label -> [Float] in units == 1 ? [label ? 1 : 0] : [label ? 0 : 1, label ? 1 : 0] }
    }

    private func record(data: LabelledSequences, loss: Loss, epochsRun: Int, bestEpoch: Int, test: Evaluation,
                        mining: [MiningReport], widths: [WidthTrial], choice: ModelChoice?) -> TrainingRecord {
        var fields: [(key: String, value: JSONValue)] = [
            ("architecture", .string(options.resolvedArchitecture.rawValue)),
            ("kernel_size_trials", widths.isEmpty ? .null
                : .string(widths.map { "\($0.kernelSize): \(fixed($0.auprc, 4))" }.joined(separator: ", "))),
            ("recipe", .string(options.recipe.rawValue)),
            ("loss", .string(loss.rawValue)),
            ("optimizer", .string("adam")),
            ("learning_rate", .number("\(options.learningRate)")),
            ("weight_decay", .number("\(options.resolvedWeightDecay)")),
            ("background_ratio", .number(options.resolvedBackgroundRatio)),
            ("background_weight", .number("\(options.resolvedBackgroundWeight)")),
            ("background_model", .string("order-\(BackgroundModel.order) Markov chain fitted to the training negatives")),
            ("mining_rounds", .number(mining.count)),
            ("mining_bases", .number(options.resolvedMiningBases)),
            ("mining_threshold", .number("\(options.resolvedMiningThreshold)")),
            ("mining_max_added", .number(options.resolvedMiningMaximumAdded)),
            ("mining_spacing", .number(options.resolvedMiningSpacing)),
            ("low_complexity_share", .number(options.resolvedLowComplexityShare)),
            ("exclude_labelled_sites", .bool(options.excludeLabelledSites)),
            ("mining_weight", .number("\(options.resolvedMiningWeight)")),
            ("mining_ceiling_quantile", .number("\(options.resolvedMiningCeilingQuantile)")),
            ("mined_negatives", .number(mining.reduce(0) { $0 + $1.added })),
            ("batch_size", .number(options.resolvedBatchSize)),
            ("epochs", .number(options.resolvedEpochs)),
            ("epochs_run", .number(epochsRun)),
            ("best_epoch", .number(bestEpoch)),
            ("seed", .number(Int(options.seed))),
            ("split", .string("sklearn train_test_split(test_size=0.25, random_state=42, shuffle=True)")),
            ("validation_split", .number(options.validationFraction)),
            ("data_sha256", .string(data.sha256)),
            ("data_size", .number(data.count)),
            ("test_size", .number(test.count)),
        ]
        if let choice {
            fields += [
                ("model_choice", .string(choice.keptMotif ? "motif" : "network")),
                ("motif_width", .number(choice.motif.width)),
                ("motif_consensus", .string(choice.motif.consensus)),
                ("choice_network_val_auprc", .number(choice.networkAUPRC)),
                ("choice_motif_val_auprc", .number(choice.motifAUPRC)),
            ]
        }
        if let auc = test.auc { fields.append(("test_auc", .number(auc))) }
        if let auprc = test.auprc { fields.append(("test_auprc", .number(auprc))) }
        fields.append(("test_accuracy", .number(test.accuracy)))
        return TrainingRecord(fields: fields)
    }
}
