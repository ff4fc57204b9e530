import Model
import Testing

/// Expected values were computed once with scikit-learn 1.9 (`roc_curve` + `auc`,
/// `average_precision_score`) on these exact float32 scores and committed as numbers.
@Suite struct MetricsTests {
    struct Case: Sendable {
        var labels: [Int]
        var scores: [Float]
        var auc: Double
        var averagePrecision: Double
    }

    static let cases: [Case] = [
        Case(labels: [0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0],
             scores: [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.05, 0.9, 0.35, 0.6, 0.7, 0.2],
             auc: 0.7777777777777778, averagePrecision: 0.8174603174603174),
        Case(labels: [1, 0, 1, 0, 1, 1, 1, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0,
                      0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0],
             scores: [0.625, 1.0, 0.25, 0.5, 0.875, 0.125, 0.5, 0.75, 0.625, 0.5, 0.25, 0.5, 0.375, 0.5,
                      0.375, 0.875, 0.75, 0.375, 0.625, 0.25, 0.5, 0.375, 0.625, 0.375, 0.5, 0.75, 0.375,
                      0.875, 0.125, 0.75, 0.375, 0.375, 0.625, 0.5, 0.375, 0.0, 0.125, 0.75, 0.5, 0.75],
             auc: 0.5513784461152882, averagePrecision: 0.4998834498834498),
        Case(labels: [1, 0, 1, 0], scores: [0.5, 0.5, 0.5, 0.5], auc: 0.5, averagePrecision: 0.5),
    ]

    @Test(arguments: cases)
    func matchesScikitLearn(_ c: Case) throws {
        let labels = c.labels.map { $0 == 1 }
        let auc = try #require(Metrics.rocAUC(scores: c.scores, labels: labels))
        let ap = try #require(Metrics.averagePrecision(scores: c.scores, labels: labels))
        #expect(abs(auc - c.auc) < 1e-12, "auc \(auc) vs sklearn \(c.auc)")
        #expect(abs(ap - c.averagePrecision) < 1e-12, "average precision \(ap) vs sklearn \(c.averagePrecision)")
    }

    @Test func perfectAndInvertedRankings() {
        let labels = [false, false, true, true]
        #expect(Metrics.rocAUC(scores: [0.1, 0.2, 0.8, 0.9], labels: labels) == 1)
        #expect(Metrics.rocAUC(scores: [0.9, 0.8, 0.2, 0.1], labels: labels) == 0)
        #expect(Metrics.averagePrecision(scores: [0.1, 0.2, 0.8, 0.9], labels: labels) == 1)
    }

    @Test func undefinedWithOneClass() {
        #expect(Metrics.rocAUC(scores: [0.1, 0.2], labels: [true, true]) == nil)
        #expect(Metrics.averagePrecision(scores: [0.1, 0.2], labels: [false, false]) == nil)
    }

    @Test func accuracyUsesKerasStrictThreshold() {
        // Keras's binary_accuracy calls p > 0.5 positive; p = 0.5 counts as negative.
        #expect(Metrics.accuracy(scores: [0.5, 0.51, 0.2, 0.9], labels: [false, true, true, true]) == 0.75)
    }
}
