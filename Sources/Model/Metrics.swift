/// Ranking and classification metrics, computed as scikit-learn does.
public enum Metrics {
    /// Cumulative (false positives, true positives) at each distinct score, highest first,
    /// as sklearn's `_binary_clf_curve`: tied scores form one threshold.
    static func binaryCurve(scores: [Float], labels: [Bool]) -> [(fp: Double, tp: Double)] {
        precondition(scores.count == labels.count, "scores and labels differ in length")
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var points = [(fp: Double, tp: Double)]()
        var fp = 0.0, tp = 0.0
        for (rank, index) in order.enumerated() {
            if labels[index] { tp += 1 } else { fp += 1 }
            if rank == order.count - 1 || scores[order[rank + 1]] != scores[index] {
                points.append((fp, tp))
            }
        }
        return points
    }

    /// The ROC curve as `sklearn.metrics.roc_curve` (with `drop_intermediate`) draws it:
    /// (false positive rate, true positive rate) from (0, 0) to (1, 1), one point per distinct
    /// score kept unless both its second differences are zero. Nil when only one class is present.
    public static func rocCurve(scores: [Float], labels: [Bool]) -> [(fpr: Double, tpr: Double)]? {
        let curve = binaryCurve(scores: scores, labels: labels)
        guard let last = curve.last, last.fp > 0, last.tp > 0 else { return nil }
        var kept = [(fpr: 0.0, tpr: 0.0)]
        for i in curve.indices {
            if i == 0 || i == curve.count - 1
                || curve[i + 1].fp - 2 * curve[i].fp + curve[i - 1].fp != 0
                || curve[i + 1].tp - 2 * curve[i].tp + curve[i - 1].tp != 0 {
                kept.append((curve[i].fp / last.fp, curve[i].tp / last.tp))
            }
        }
        return kept
    }

    /// Area under the ROC curve: `rocCurve` followed by `sklearn.metrics.auc`'s trapezoids;
    /// tied scores are one step. Nil when only one class is present.
    public static func rocAUC(scores: [Float], labels: [Bool]) -> Double? {
        guard let curve = rocCurve(scores: scores, labels: labels) else { return nil }
        var area = 0.0
        for i in 1..<curve.count { area += (curve[i].fpr - curve[i - 1].fpr) * (curve[i].tpr + curve[i - 1].tpr) / 2 }
        return area
    }

    /// The precision–recall curve as `sklearn.metrics.precision_recall_curve`, from the
    /// highest threshold down: (recall, precision) at each distinct score, starting at
    /// (0, 1). Its step area (recall steps times the precision after each) is
    /// `averagePrecision`. Nil when there are no positives.
    public static func precisionRecallCurve(scores: [Float], labels: [Bool]) -> [(recall: Double, precision: Double)]? {
        let curve = binaryCurve(scores: scores, labels: labels)
        guard let last = curve.last, last.tp > 0 else { return nil }
        return [(0, 1)] + curve.map { ($0.tp / last.tp, $0.tp / ($0.tp + $0.fp)) }
    }

    /// Average precision, Σ (Rₙ − Rₙ₋₁) Pₙ over distinct thresholds, as
    /// `sklearn.metrics.average_precision_score`. Nil when there are no positives.
    public static func averagePrecision(scores: [Float], labels: [Bool]) -> Double? {
        guard let curve = precisionRecallCurve(scores: scores, labels: labels) else { return nil }
        var total = 0.0
        for i in 1..<curve.count { total += (curve[i].recall - curve[i - 1].recall) * curve[i].precision }
        return total
    }

    /// The fraction of samples whose call (p > threshold, as Keras's `binary_accuracy`) matches the label.
    public static func accuracy(scores: [Float], labels: [Bool], threshold: Float = 0.5) -> Double {
        guard !scores.isEmpty else { return 0 }
        let correct = zip(scores, labels).filter { ($0 > threshold) == $1 }.count
        return Double(correct) / Double(scores.count)
    }
}

/// The three numbers reported for a set of predictions.
public struct Evaluation: Sendable, Equatable {
    public var auc: Double?
    public var auprc: Double?
    public var accuracy: Double
    public var count: Int

    public init(scores: [Float], labels: [Bool]) {
        auc = Metrics.rocAUC(scores: scores, labels: labels)
        auprc = Metrics.averagePrecision(scores: scores, labels: labels)
        accuracy = Metrics.accuracy(scores: scores, labels: labels)
        count = scores.count
    }
}

extension Evaluation {
    /// `auc 0.9971 auprc 0.9969 accuracy 0.9720`; `n/a` where a metric is undefined.
    public var summary: String {
        func shown(_ value: Double?) -> String { value.map { fixed($0, 4) } ?? "n/a" }
        return "auc \(shown(auc)) auprc \(shown(auprc)) accuracy \(fixed(accuracy, 4))"
    }

    /// `{"auc": …, "auprc": …, "accuracy": …, "<sizeKey>": …}` plus any extra fields.
    /// The metrics as `evaluate --json` and `train --metrics-json` write them: auc, auprc,
    /// accuracy, the split they were measured on (`test` or `all`) and its number of
    /// sequences; `legacySizeKey` repeats that number under the name the command used before
    /// (`size`, `test_size`), for scripts that read it.
    public func document(split: String, legacySizeKey: String, extra: [(key: String, value: JSONValue)] = []) -> JSONValue {
        .object([
            ("auc", auc.map { .number($0) } ?? .null),
            ("auprc", auprc.map { .number($0) } ?? .null),
            ("accuracy", .number(accuracy)),
            ("split", .string(split)),
            ("sequences", .number(count)),
            (legacySizeKey, .number(count)),
        ] + extra)
    }
}

