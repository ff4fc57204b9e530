import Model
import Testing

/// Training on the seed data with the notebook's split. These need the seed data set and
/// are skipped, saying so, when it is missing.
@Suite(.enabled(if: SeedData.isAvailable, SeedData.skipReason))
struct TrainingTests {
    static func train(_ architecture: Architecture = .seed, recipe: Recipe, seed: UInt32) throws -> TrainingResult {
        var options = TrainingOptions()
        options.architecture = architecture
        options.recipe = recipe
        options.seed = seed
        return try Trainer(options: options).train(SeedData.load())
    }

    @Test func seedDataHasTheNotebooksHeaderArtefact() throws {
        let data = try SeedData.load()
        #expect(data.count == 2000)
        #expect(data.note?.contains("2001 lines for 2000 sequences") == true)
    }

    /// The built-in model is `annotate train --arch seed --recipe default --seed 0` on the
    /// seed data; retraining must give the same weights bit for bit, and beat the notebook.
    @Test func defaultRecipeReproducesTheBuiltinModelAndBeatsTheNotebook() throws {
        let result = try TrainingTests.train(recipe: .default, seed: 0)
        let builtin = try Network.builtin()
        #expect(result.network.parameters.map(\.bitPattern) == builtin.parameters.map(\.bitPattern))
        #expect(result.network.training == builtin.training)
        let auc = try #require(result.test.auc), auprc = try #require(result.test.auprc)
        print("default recipe, seed 0: auc \(auc) auprc \(auprc) accuracy \(result.test.accuracy)")
        #expect(auc >= 0.999)
        #expect(auprc >= 0.999)
        #expect(result.test.count == 500)
    }

    @Test func defaultRecipeAveragesAtLeast0998OverSeeds1Through4() throws {
        // Seed 0 is covered above; together the five seeds must average ≥ 0.998.
        var aucs = [Double](), auprcs = [Double]()
        for seed: UInt32 in 1...4 {
            let result = try TrainingTests.train(recipe: .default, seed: seed)
            aucs.append(try #require(result.test.auc))
            auprcs.append(try #require(result.test.auprc))
        }
        let builtin = try Network.builtin()
        let seed0AUC = try #require(builtin.training?["test_auc"]?.doubleValue)
        let seed0AUPRC = try #require(builtin.training?["test_auprc"]?.doubleValue)
        let meanAUC = (aucs.reduce(seed0AUC, +)) / 5, meanAUPRC = (auprcs.reduce(seed0AUPRC, +)) / 5
        print("default recipe, seeds 1-4: auc \(aucs) auprc \(auprcs); mean over 0-4 auc \(meanAUC) auprc \(meanAUPRC)")
        #expect(meanAUC >= 0.998)
        #expect(meanAUPRC >= 0.998)
    }

    @Test func notebookRecipeLandsInKerasRange() throws {
        // A rerun of the notebook's Keras code over seeds 0-9: mean AUC 0.9955, range 0.9914-0.9985.
        var aucs = [Double]()
        for seed: UInt32 in 0...9 {
            let result = try TrainingTests.train(recipe: .notebook, seed: seed)
            #expect(result.history.count == 10)
            #expect(result.bestEpoch == 10)
            aucs.append(try #require(result.test.auc))
        }
        let mean = aucs.reduce(0, +) / Double(aucs.count)
        print("notebook recipe, seeds 0-9: auc \(aucs), mean \(mean)")
        #expect(mean >= 0.9914 && mean <= 0.9985)
        #expect(aucs.allSatisfy { $0 > 0.98 })
    }

    @Test func deepArchitectureReachesAUC099() throws {
        let result = try TrainingTests.train(.deep, recipe: .default, seed: 0)
        let auc = try #require(result.test.auc)
        print("deep, default recipe, seed 0: auc \(auc) auprc \(result.test.auprc ?? .nan)")
        #expect(auc >= 0.99)
    }

    @Test func trainingIsDeterministic() throws {
        var options = TrainingOptions()
        options.recipe = .notebook
        options.epochs = 2
        options.seed = 7
        let data = try SeedData.load()
        let a = try Trainer(options: options).train(data), b = try Trainer(options: options).train(data)
        #expect(a.network.parameters.map(\.bitPattern) == b.network.parameters.map(\.bitPattern))
        options.seed = 8
        let c = try Trainer(options: options).train(data)
        #expect(a.network.parameters != c.network.parameters)
    }
}
