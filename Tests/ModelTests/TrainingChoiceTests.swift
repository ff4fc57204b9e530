import Model
import Testing

/// The default recipe's choices on the held-out tenth: which epoch's weights to keep, which
/// background windows are too site-like to mine, and when a run has failed.
@Suite struct TrainingChoiceTests {
    static func epoch(_ number: Int, auprc: Double?) -> EpochReport {
        EpochReport(epoch: number, epochs: 6, loss: 0, accuracy: 0, validationLoss: 0, validationAccuracy: 0,
                    validationAUC: auprc, validationAUPRC: auprc, seconds: 0)
    }

    @Test func theLastEpochNearTheBestIsKept() {
        let history = [0.90, 0.97, 0.995, 0.990, 0.9935, 0.980].enumerated().map { TrainingChoiceTests.epoch($0 + 1, auprc: $1) }
        #expect(Trainer.chosenEpoch(history, tolerance: 0.002) == 5)
        #expect(Trainer.chosenEpoch(history, tolerance: 0) == 3)
        #expect(Trainer.chosenEpoch(history, tolerance: 0.1) == 6)
        #expect(Trainer.chosenEpoch([TrainingChoiceTests.epoch(1, auprc: nil)], tolerance: 0.002) == nil)
    }

    @Test func theMiningCeilingIsAQuantileOfTheHeldOutPositives() {
        let scores: [Float] = [0.9, 0.1, 0.5, 0.99, 0.7, 0.2, 0.3, 0.95]
        let labels = [true, false, true, true, true, false, false, true]
        // Positives, sorted: 0.5 0.7 0.9 0.95 0.99.
        #expect(Trainer.miningCeiling(scores: scores, labels: labels, quantile: 0) == 0.5)
        #expect(Trainer.miningCeiling(scores: scores, labels: labels, quantile: 0.25) == 0.7)
        #expect(Trainer.miningCeiling(scores: scores, labels: labels, quantile: 0.5) == 0.9)
        #expect(Trainer.miningCeiling(scores: scores, labels: labels, quantile: 1) == 0.99)
        #expect(Trainer.miningCeiling(scores: [0.4], labels: [false], quantile: 0.25) == nil)
    }

    @Test func aModelThatRanksByChanceOrCallsOneClassHasFailed() {
        var random = MersenneTwister(seed: 3)
        let labels = (0..<150).map { $0 % 2 == 0 }
        // Random scores: an AUC near 0.5.
        let noise = labels.map { _ in Float(random.nextDouble()) }
        #expect(Trainer.failure(scores: noise, labels: labels)?.contains("no better than chance") == true)
        // A perfect ranking whose probabilities all lie below 0.5: it calls nothing.
        let timid = labels.map { $0 ? Float(0.4) : Float(0.1) }
        #expect(Trainer.failure(scores: timid, labels: labels)?.contains("the same class (p < 0.5)") == true)
        let eager = labels.map { $0 ? Float(0.9) : Float(0.6) }
        #expect(Trainer.failure(scores: eager, labels: labels)?.contains("the same class (p >= 0.5)") == true)
        let good = labels.map { $0 ? Float(0.9) : Float(0.1) }
        #expect(Trainer.failure(scores: good, labels: labels) == nil)
    }
}

extension TrainingChoiceTests {
    @Test func theWidestWidthNearTheBestIsChosen() {
        func trials(_ auprcs: [(Int, Double)]) -> [WidthTrial] {
            auprcs.map { WidthTrial(kernelSize: $0.0, folds: 3, auprc: $0.1, seconds: 0) }
        }
        // The seed's exact word: widths 8 and 12 tie.
        #expect(Trainer.widestNearBest(trials([(8, 0.9999), (12, 0.9999), (16, 0.9979), (20, 0.9948)]), tolerance: 0.0005) == 12)
        // A 9-bp site sampled from a matrix: 8 is clearly best.
        #expect(Trainer.widestNearBest(trials([(8, 0.9903), (12, 0.9810), (16, 0.9649), (20, 0.9411)]), tolerance: 0.0005) == 8)
        #expect(Trainer.widestNearBest([], tolerance: 0.0005) == nil)
    }
}
