/// Everything that can go wrong in the Model module, with enough context to fix it.
public enum ModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A layer stack that cannot be built (a shape that does not fit, a bad output layer).
    case invalidArchitecture(String)
    /// A model file that is not valid JSON; `offset` is 0-based bytes, `line` 1-based.
    case malformedModelFile(path: String, line: Int, offset: Int, reason: String)
    /// A model file that ends in the middle of a value.
    case truncatedModelFile(path: String, offset: Int)
    /// A model file of another format or version.
    case unsupportedModelFile(path: String, reason: String)
    /// A model file whose content does not describe a usable network (missing key, wrong shape).
    case invalidModelFile(path: String, reason: String)
    /// Training or prediction input that cannot be used; `line` and `column` are 1-based (0 = whole file).
    case invalidInput(path: String, line: Int, column: Int, reason: String)
    /// Sequence and label files that do not pair up.
    case countMismatch(sequencesPath: String, sequences: Int, labelsPath: String, labels: Int)
    /// Weights that cannot be written (NaN or infinity after a diverged run).
    case nonFiniteWeights(layer: Int)

    public var description: String {
        switch sanitized {
        case let .invalidArchitecture(reason):
            return "invalid architecture: \(reason)"
        case let .malformedModelFile(path, line, offset, reason):
            return "\(path): line \(line) (byte \(offset)): not a valid model file: \(reason)"
        case let .truncatedModelFile(path, offset):
            return "\(path): the model file ends at byte \(offset) in the middle of a value; it looks truncated"
        case let .unsupportedModelFile(path, reason):
            return "\(path): unsupported model file: \(reason)"
        case let .invalidModelFile(path, reason):
            return "\(path): invalid model file: \(reason)"
        case let .invalidInput(path, line, column, reason):
            let place = line == 0 ? "" : column == 0 ? " line \(line):" : " line \(line), column \(column):"
            return "\(path):\(place) \(reason)"
        case let .countMismatch(sequencesPath, sequences, labelsPath, labels):
            return "\(sequencesPath) has \(sequences) sequences but \(labelsPath) has \(labels) labels; give one 0/1 label per sequence"
        case let .nonFiniteWeights(layer):
            return "layer \(layer) has NaN or infinite weights; training diverged, try a lower learning rate"
        }
    }

    /// The same error with its paths as messages show them (`MessageText`).
    private var sanitized: ModelError {
        func shown(_ path: String) -> String { MessageText.shown(path, limit: 120) }
        switch self {
        case .invalidArchitecture, .nonFiniteWeights: return self
        case let .malformedModelFile(path, line, offset, reason):
            return .malformedModelFile(path: shown(path), line: line, offset: offset, reason: reason)
        case let .truncatedModelFile(path, offset): return .truncatedModelFile(path: shown(path), offset: offset)
        case let .unsupportedModelFile(path, reason): return .unsupportedModelFile(path: shown(path), reason: reason)
        case let .invalidModelFile(path, reason): return .invalidModelFile(path: shown(path), reason: reason)
        case let .invalidInput(path, line, column, reason):
            return .invalidInput(path: shown(path), line: line, column: column, reason: reason)
        case let .countMismatch(sequencesPath, sequences, labelsPath, labels):
            return .countMismatch(sequencesPath: shown(sequencesPath), sequences: sequences, labelsPath: shown(labelsPath), labels: labels)
        }
    }
}
