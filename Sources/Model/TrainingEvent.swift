import Foundation

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

/// What training reports as it goes.
public enum TrainingEvent: Sendable {
    case epoch(EpochReport)
    case mining(MiningReport)

    public var line: String {
        switch self {
        case let .epoch(report): report.line
        case let .mining(report): report.line
        }
    }
}
