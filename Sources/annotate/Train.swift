import ArgumentParser
import Model
import Scanner

extension Architecture: ExpressibleByArgument {}
extension Recipe: ExpressibleByArgument {}
extension Loss: ExpressibleByArgument {}

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a model on labelled sequences and report its test-split AUC, AUPRC and accuracy.",
        discussion: """
            The data is split as the reference notebook does (scikit-learn \
            train_test_split, test_size=0.25, random_state=42); the last 10% of the \
            training part is held out for validation, as Keras's validation_split=0.1.

            Recipes:
              default   binary cross-entropy, batch 10, Adam 1e-3 with weight
                        decay 0.1; each sequence is rolled by a random -6..+6
                        bases when drawn; early stopping on val_loss (patience
                        8, at most 120 epochs) keeps the best epoch; the best
                        of 3 initialisations by val_loss is kept.
              notebook  the notebook exactly: MSE, batch 10, 10 epochs, Adam.

            The built-in model is:
              annotate train --sequences sequences_mod.txt --labels labels.txt
            """
    )

    @OptionGroup var input: LabelledInputOptions

    @Option(name: .customLong("arch"), help: "Layer stack.")
    var architecture: Architecture = .seed

    @Option(help: "Training recipe (see above).")
    var recipe: Recipe = .default

    @Option(help: "Loss (default: the recipe's).")
    var loss: Loss?

    @Option(help: "Maximum epochs (default: the recipe's).")
    var epochs: Int?

    @Option(help: "Batch size (default: the recipe's).")
    var batchSize: Int?

    @Option(help: "Adam learning rate.")
    var learningRate: Float = 0.001

    @Option(help: "Seed for initialisation, shuffling and dropout.")
    var seed: UInt32 = 0

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the model here (JSON).", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Write the test metrics here as JSON.", valueName: "file"))
    var metricsJson: String?

    @Flag(help: "Do not print the per-epoch lines.")
    var quiet = false

    func validate() throws {
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1") }
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        if !(learningRate > 0) { throw ValidationError("--learning-rate must be positive") }
    }

    func run() throws {
        try reportingErrors("train") {
            let data = try input.load()
            var options = TrainingOptions()
            options.architecture = architecture
            options.recipe = recipe
            options.loss = loss
            options.epochs = epochs
            options.batchSize = batchSize
            options.learningRate = learningRate
            options.seed = seed
            let result = try Trainer(options: options).train(data) { report in
                if !quiet { printError(report.line) }
            }
            let test = result.test
            print("test: auc \(format(test.auc)) auprc \(format(test.auprc)) accuracy \(fixed(test.accuracy, 4)) (n=\(test.count), best epoch \(result.bestEpoch))")
            if let output {
                let file = try OutputFile(path: output)
                try file.write(result.network.modelFileText())
                try file.commit()
            }
            if let metricsJson {
                let file = try OutputFile(path: metricsJson)
                try file.write(metricsDocument(test, extra: [
                    ("architecture", .string(architecture.rawValue)), ("recipe", .string(recipe.rawValue)),
                    ("seed", .number(Int(seed))), ("best_epoch", .number(result.bestEpoch)),
                    ("epochs_run", .number(result.history.count)),
                    ("seconds", .number(result.history.reduce(0) { $0 + $1.seconds })),
                ]).serialized() + "\n")
                try file.commit()
            }
        }
    }
}

/// `{"auc": …, "auprc": …, "accuracy": …, "test_size": …}` plus any extra fields.
func metricsDocument(_ evaluation: Evaluation, sizeKey: String = "test_size", extra: [(key: String, value: JSONValue)] = []) -> JSONValue {
    .object([
        ("auc", evaluation.auc.map { .number($0) } ?? .null),
        ("auprc", evaluation.auprc.map { .number($0) } ?? .null),
        ("accuracy", .number(evaluation.accuracy)),
        (sizeKey, .number(evaluation.count)),
    ] + extra)
}

func format(_ value: Double?) -> String {
    value.map { fixed($0, 4) } ?? "n/a"
}
