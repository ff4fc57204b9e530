import Foundation

/// A named set of training hyper-parameters.
public enum Recipe: String, Sendable, CaseIterable {
    /// annotate's recipe, which beats the notebook on its own split: binary cross-entropy,
    /// batch 10, Adam 1e-3 with decoupled weight decay 0.1, each training sequence rolled
    /// circularly by a random −6 … +6 bases every time it is drawn (sites sit anywhere in a
    /// window), early stopping on val_loss (patience 8, at most 120 epochs) with the best
    /// epoch's weights restored, and the best of 3 initialisations by val_loss.
    case `default`
    /// The notebook exactly: MSE, batch 10, 10 epochs, Adam 1e-3, no early stopping.
    case notebook

    public var loss: Loss { self == .notebook ? .mse : .bce }
    public var epochs: Int { self == .notebook ? 10 : 120 }
    public var batchSize: Int { 10 }
    /// Epochs without a lower val_loss before training stops; nil trains every epoch.
    public var patience: Int? { self == .notebook ? nil : 8 }
    /// AdamW's decoupled weight decay (Loshchilov & Hutter 2019).
    public var weightDecay: Float { self == .notebook ? 0 : 0.1 }
    /// The largest circular shift, in bases, applied to a training sequence each time it is drawn.
    public var maximumShift: Int { self == .notebook ? 0 : 6 }
    /// Independent initialisations trained one after another; the lowest val_loss is kept.
    public var restarts: Int { self == .notebook ? 1 : 3 }
}

/// Everything that decides a training run. With the same options and data, the weights
/// are the same bit for bit.
public struct TrainingOptions: Sendable {
    public var architecture: Architecture = .seed
    public var recipe: Recipe = .default
    public var loss: Loss?
    public var epochs: Int?
    public var batchSize: Int?
    public var learningRate: Float = 0.001
    /// Seeds the one generator behind initialisation, shuffling and dropout.
    public var seed: UInt32 = 0
    /// The fraction of the training split held out from its tail, as Keras's `validation_split`.
    public var validationFraction = 0.1

    public init() {}

    public var resolvedLoss: Loss { loss ?? recipe.loss }
    public var resolvedEpochs: Int { epochs ?? recipe.epochs }
    public var resolvedBatchSize: Int { batchSize ?? recipe.batchSize }
}

/// One epoch's numbers, as Keras's progress line shows them.
public struct EpochReport: Sendable {
    public var epoch: Int
    public var epochs: Int
    public var loss: Double
    public var accuracy: Double
    public var validationLoss: Double
    public var validationAccuracy: Double
    public var seconds: Double

    /// `Epoch 3/10 - loss: 0.0412 - accuracy: 0.9874 - val_loss: 0.0391 - val_accuracy: 0.9867 - 0.14s`
    public var line: String {
        "Epoch \(epoch)/\(epochs) - loss: \(fixed(loss, 4)) - accuracy: \(fixed(accuracy, 4))"
            + " - val_loss: \(fixed(validationLoss, 4)) - val_accuracy: \(fixed(validationAccuracy, 4)) - \(fixed(seconds, 2))s"
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}

/// Formats with a fixed number of decimals, as `%.*f` does.
public func fixed(_ value: Double, _ decimals: Int) -> String {
    String(format: "%.\(decimals)f", value)
}

/// The outcome of a training run.
public struct TrainingResult: Sendable {
    public var network: Network
    public var test: Evaluation
    public var history: [EpochReport]
    /// The 1-based epoch whose weights were kept.
    public var bestEpoch: Int
}

/// Trains a network on labelled sequences with the notebook's split.
public struct Trainer {
    public var options: TrainingOptions

    public init(options: TrainingOptions) {
        self.options = options
    }

    /// Trains on `data` (split as the notebook does), reporting each epoch to `progress`.
    public func train(_ data: LabelledSequences, progress: (EpochReport) -> Void = { _ in }) throws(ModelError) -> TrainingResult {
        guard let length = data.records.first?.bases.count, data.count >= 8 else {
            throw .invalidInput(path: "training data", line: 0, column: 0, reason: "need at least 8 labelled sequences, got \(data.count)")
        }
        let split = NotebookSplit(count: data.count)
        let validationStart = Int((Double(split.train.count) * (1 - options.validationFraction)).rounded(.down))
        let fit = data.subset(Array(split.train[..<validationStart]))
        let validation = data.subset(Array(split.train[validationStart...]))
        let test = data.subset(split.test)

        var random = MersenneTwister(seed: options.seed)
        var chosen: (network: Network, history: [EpochReport], bestEpoch: Int, loss: Double)?
        for _ in 0..<options.recipe.restarts {
            let run = try fitOnce(fit, validation: validation, length: length, random: &random, progress: progress)
            if run.loss < chosen?.loss ?? .infinity { chosen = run }
        }
        guard let (trained, history, bestEpoch, _) = chosen else { throw .invalidArchitecture("no training run") }
        var network = trained
        let testScores = network.predict(oneHot: Nucleotide.oneHot(test.records.map(\.bases)), count: test.count)
        let evaluation = Evaluation(scores: testScores, labels: test.labels)
        network.training = record(data: data, loss: options.resolvedLoss, epochsRun: history.count, bestEpoch: bestEpoch, test: evaluation)
        return TrainingResult(network: network, test: evaluation, history: history, bestEpoch: bestEpoch)
    }

    /// One training run from a fresh initialisation; returns the kept weights and their val_loss.
    private func fitOnce(
        _ fit: LabelledSequences, validation: LabelledSequences, length: Int, random: inout MersenneTwister,
        progress: (EpochReport) -> Void
    ) throws(ModelError) -> (network: Network, history: [EpochReport], bestEpoch: Int, loss: Double) {
        var network = try options.architecture.network(inputLength: length)
        network.initialise(random: &random)
        let loss = options.resolvedLoss, epochs = options.resolvedEpochs, batchSize = options.resolvedBatchSize
        var adam = Adam(parameterCount: network.parameterCount, learningRate: options.learningRate)
        adam.weightDecay = options.recipe.weightDecay
        var workspace = Workspace(network: network, capacity: batchSize, training: true)
        var gradients = [Float](repeating: 0, count: network.parameterCount)
        let fitInput = Nucleotide.oneHot(fit.records.map(\.bases))
        let fitTargets = Trainer.targets(fit.labels, units: network.outputUnits)
        let sample = network.shapes[0].count, units = network.outputUnits
        let validationInput = Nucleotide.oneHot(validation.records.map(\.bases))

        var history = [EpochReport]()
        var best = (epoch: 0, loss: Double.infinity, parameters: network.parameters)
        var order = Array(0..<fit.count)
        for epoch in 1...max(epochs, 1) {
            let started = ContinuousClock.now
            random.shuffle(&order)
            var lossSum = 0.0, correct = 0
            var start = 0
            while start < order.count {
                let n = min(batchSize, order.count - start)
                var batchTargets = [Float](repeating: 0, count: n * units)
                workspace.activations[0].withUnsafeMutableBufferPointer { input in
                    for (row, index) in order[start..<(start + n)].enumerated() {
                        // Rolled left by `shift` bases: row position j reads base (j + shift) mod L.
                        let maximum = options.recipe.maximumShift
                        let shift = maximum > 0 ? (random.nextInt(through: 2 * maximum) - maximum) * 4 : 0
                        for j in 0..<sample { input[row * sample + j] = fitInput[index * sample + (j + shift + sample) % sample] }
                        for u in 0..<units { batchTargets[row * units + u] = fitTargets[index * units + u] }
                    }
                }
                var generator: MersenneTwister? = random
                let batchLoss = network.lossAndGradients(&workspace, batch: n, targets: batchTargets, loss: loss,
                                                         random: &generator, parameterGradients: &gradients)
                if let generator { random = generator }
                lossSum += batchLoss * Double(n)
                let probabilities = network.probabilities(workspace, batch: n)
                for (row, index) in order[start..<(start + n)].enumerated() where (probabilities[row] > 0.5) == fit.labels[index] {
                    correct += 1
                }
                adam.update(&network.parameters, gradients: gradients)
                start += n
            }
            let validationScores = network.predict(oneHot: validationInput, count: validation.count)
            let validationLoss = Trainer.loss(loss, scores: validationScores, labels: validation.labels, units: units)
            let elapsed = ContinuousClock.now - started
            let report = EpochReport(
                epoch: epoch, epochs: epochs, loss: lossSum / Double(fit.count),
                accuracy: Double(correct) / Double(fit.count), validationLoss: validationLoss,
                validationAccuracy: Metrics.accuracy(scores: validationScores, labels: validation.labels),
                seconds: elapsed.seconds)
            history.append(report)
            progress(report)
            if validationLoss < best.loss { best = (epoch, validationLoss, network.parameters) }
            if let patience = options.recipe.patience, epoch - best.epoch >= patience { break }
        }
        if options.recipe.patience != nil {
            network.parameters = best.parameters
            return (network, history, best.epoch, best.loss)
        }
        return (network, history, history.count, history.last?.validationLoss ?? .infinity)
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

    private func record(data: LabelledSequences, loss: Loss, epochsRun: Int, bestEpoch: Int, test: Evaluation) -> TrainingRecord {
        var fields: [(key: String, value: JSONValue)] = [
            ("architecture", .string(options.architecture.rawValue)),
            ("recipe", .string(options.recipe.rawValue)),
            ("loss", .string(loss.rawValue)),
            ("optimizer", .string("adam")),
            ("learning_rate", .number("\(options.learningRate)")),
            ("weight_decay", .number("\(options.recipe.weightDecay)")),
            ("max_shift", .number(options.recipe.maximumShift)),
            ("restarts", .number(options.recipe.restarts)),
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
        if let auc = test.auc { fields.append(("test_auc", .number(auc))) }
        if let auprc = test.auprc { fields.append(("test_auprc", .number(auprc))) }
        fields.append(("test_accuracy", .number(test.accuracy)))
        return TrainingRecord(fields: fields)
    }
}
