import Foundation
import Model
import TestSupport
import Testing

/// The built-in model is the output of the documented command; these retrain it (about two
/// minutes each) and check what the default recipe must reach on the notebook's split.
@Suite(.enabled(if: SeedData.isAvailable, SeedData.skipReason), .tags(.training))
struct BuiltinModelTests {
    /// `annotate train --recipe default --seed N` with metrics; returns the model and the log.
    static func train(seed: Int, in directory: URL) throws -> (model: Network, metrics: [String: Any], log: String) {
        let model = directory.appendingPathComponent("seed\(seed).json").path
        let metrics = directory.appendingPathComponent("seed\(seed).metrics.json").path
        let run = try Annotate.run(["train", "--sequences", SeedData.sequencesPath, "--labels", SeedData.labelsPath,
                                    "--recipe", "default", "--seed", String(seed), "-o", model, "--metrics-json", metrics])
        #expect(run.status == 0, "\(run.stderr)")
        let network = try Network.load(modelFile: Array(try Data(contentsOf: URL(fileURLWithPath: model))), path: model)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: metrics))) as? [String: Any])
        return (network, document, run.stderr)
    }

    @Test func theDocumentedCommandReproducesTheBuiltinModel() throws {
        let directory = try Scratch.directory()
        let (model, metrics, log) = try BuiltinModelTests.train(seed: 0, in: directory)
        let builtin = try Network.builtin()
        #expect(model.parameters.map(\.bitPattern) == builtin.parameters.map(\.bitPattern))
        #expect(model.training == builtin.training)
        let auc = try #require(metrics["auc"] as? Double), auprc = try #require(metrics["auprc"] as? Double)
        print("default recipe, seed 0: auc \(auc) auprc \(auprc)")
        #expect(auc >= 0.999)
        #expect(auprc >= 0.999)
        // The log shows every mining round with its scan, its additions and the background FPR.
        let rounds = log.split(separator: "\n").filter { $0.hasPrefix("Mining ") }
        #expect(rounds.count == 8)
        #expect(rounds.allSatisfy { $0.contains(" windows (") && $0.contains("(FPR ") && $0.contains(" candidates, ") && $0.contains(" added, pool ") })
    }

    @Test func defaultRecipeAveragesAtLeast0998OverSeeds0Through4() throws {
        // Seed 0 is the built-in model's recorded test figures; seeds 1-4 are trained here.
        let directory = try Scratch.directory()
        let builtin = try Network.builtin()
        var aucs = [try #require(builtin.training?["test_auc"]?.doubleValue)]
        var auprcs = [try #require(builtin.training?["test_auprc"]?.doubleValue)]
        for seed in 1...4 {
            let (_, metrics, _) = try BuiltinModelTests.train(seed: seed, in: directory)
            aucs.append(try #require(metrics["auc"] as? Double))
            auprcs.append(try #require(metrics["auprc"] as? Double))
        }
        let meanAUC = aucs.reduce(0, +) / 5, meanAUPRC = auprcs.reduce(0, +) / 5
        print("default recipe, seeds 0-4: auc \(aucs) auprc \(auprcs); mean auc \(meanAUC) auprc \(meanAUPRC)")
        #expect(meanAUC >= 0.998)
        #expect(meanAUPRC >= 0.998)
    }
}
