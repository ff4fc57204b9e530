import Foundation

/// One epoch's numbers, as Keras's progress line shows them.
public struct EpochReport: Sendable {
    public var epoch: Int
    public var epochs: Int
    public var loss: Double
    public var accuracy: Double
    public var validationLoss: Double
    public var validationAccuracy: Double
    /// The held-out tenth's ranking figures (nil when it lacks a class).
    public var validationAUC: Double?
    public var validationAUPRC: Double?
    public var seconds: Double

    package init(epoch: Int, epochs: Int, loss: Double, accuracy: Double, validationLoss: Double,
                 validationAccuracy: Double, validationAUC: Double?, validationAUPRC: Double?, seconds: Double) {
        self.epoch = epoch
        self.epochs = epochs
        self.loss = loss
        self.accuracy = accuracy
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.validationAUC = validationAUC
        self.validationAUPRC = validationAUPRC
        self.seconds = seconds
    }

    /// `Epoch 3/10 - loss: 0.0412 - accuracy: 0.9874 - val_loss: 0.0391 - val_accuracy: 0.9867 - val_auprc: 0.9990 - 0.14s`
    public var line: String {
        "Epoch \(epoch)/\(epochs) - loss: \(fixed(loss, 4)) - accuracy: \(fixed(accuracy, 4))"
            + " - val_loss: \(fixed(validationLoss, 4)) - val_accuracy: \(fixed(validationAccuracy, 4))"
            + (validationAUPRC.map { " - val_auprc: \(fixed($0, 4))" } ?? "") + " - \(fixed(seconds, 2))s"
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

/// What training reports as it goes.
public enum TrainingEvent: Sendable {
    case epoch(EpochReport)
    case mining(MiningReport)
    case width(WidthTrial)
    case choice(ModelChoice)

    public var line: String {
        switch self {
        case let .width(trial): trial.line
        case let .epoch(report): report.line
        case let .mining(report): report.line
        case let .choice(choice): choice.line
        }
    }
}
