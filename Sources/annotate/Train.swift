import ArgumentParser
import GenomeIO
import Model
import Reports
import Scan
import Scoring

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
              default   made for genome scans, where a site is one window among
                        about 10^5 of background, and for any TF's sites,
                        whether one word or sampled from a matrix. The global
                        architecture (a max over every window position, so a
                        site is learned once wherever it lies), its first
                        convolution 8, 12, 16 or 20 wide: the widest within
                        0.0005 of the best mean AUPRC in 3-fold
                        cross-validation on the sequences alone; binary
                        cross-entropy; batches of 10 sequences plus 10
                        background windows for each (an order-2 Markov chain
                        fitted to the training negatives, a fifth with a
                        low-complexity run), weighing together as much as the
                        sequences; Adam 1e-3 with weight decay 0.01; 30
                        epochs; 8 rounds of hard-negative mining: 60 Mbp of
                        fresh background (G+C and dinucleotide composition
                        varied per 64-kbp stretch, with homopolymers, tandem
                        repeats and purine-rich runs) is scanned on both
                        strands, and the windows the model scores at p >= 0.03
                        become negatives, weighing together at most as much as
                        the sequences of a batch. Windows that may be real
                        sites are not mined: when 90% of the positives hold
                        one word (a k-mer of the convolution's width), those
                        holding it; otherwise those scoring at least the
                        lower quartile of the held-out positives. The weights kept are those of
                        the last epoch after the last mining round within
                        0.002 of the best validation AUPRC among them.
                        When the site varies (no 8-mer in 90% of the
                        positives), a motif found by EM in the training
                        positives (one site per sequence, either strand;
                        its width the span of positions above 0.05 bits in
                        a first 24-bp fit) competes as a second model: its
                        log-odds as a global network that calls a site on
                        its own strand, calibrated by logistic regression.
                        It is kept unless the network's held-out AUPRC is
                        higher by more than 0.005.
              notebook  the notebook exactly: MSE, batch 10, 10 epochs, Adam.

            A run whose model ranks the held-out tenth no better than chance, or
            gives all of it one class, fails: one line on stderr, exit status 1,
            and no model file (the --report still shows it).

            Background and mining apply to the global and seed architectures,
            which the scan's fast kernels score. The deep architecture trains
            without them unless --background-ratio or --mining-rounds is given (it
            then mines through the general forward pass, a hundredth of
            --mining-bases by default).

            The built-in model is:
              annotate train --sequences sequences_mod.txt --labels labels.txt
            """
    )

    @OptionGroup var input: LabelledInputOptions

    @Option(name: .customLong("arch"), help: "Layer stack: global, seed or deep (default: the recipe's, global or seed).")
    var architecture: Architecture?

    @Option(parsing: .unconditional, help: "Width of the first convolution (default: with the default recipe and the global architecture, chosen from 8, 12, 16 and 20; otherwise 12).")
    var kernelSize: Int?

    @Option(parsing: .unconditional, help: "Filters of the first convolution (default: the architecture's, 32).")
    var filters: Int?

    @Option(help: "Training recipe (see above).")
    var recipe: Recipe = .default

    @Option(help: "Loss (default: the recipe's).")
    var loss: Loss?

    @Option(parsing: .unconditional, help: "Epochs (default: the recipe's, 30 or 10).")
    var epochs: Int?

    @Option(parsing: .unconditional, help: "Labelled sequences per batch (default: the recipe's).")
    var batchSize: Int?

    @Option(parsing: .unconditional, help: "Adam learning rate.")
    var learningRate: Float = 0.001

    @Option(parsing: .unconditional, help: "Decoupled weight decay (default: the recipe's, 0.01 or 0).")
    var weightDecay: Float?

    @Option(parsing: .unconditional, help: "Fresh background windows per labelled sequence in each batch (default: 10 for global and seed, else 0).")
    var backgroundRatio: Int?

    @Option(parsing: .unconditional, help: "Loss weight of one background window relative to a labelled sequence (default: 1).")
    var backgroundWeight: Float?

    @Option(parsing: .unconditional, help: "Share of those windows that carry a homopolymer, tandem repeat or purine-rich run (default: 0.2).")
    var lowComplexityShare: Double?

    @Option(parsing: .unconditional, help: "Rounds of hard-negative mining, spread over the epochs (default: 8 for global and seed, else 0).")
    var miningRounds: Int?

    @Option(parsing: .unconditional, help: "Background bases scanned on both strands per mining round (default: 60000000 for global and seed, 600000 otherwise).")
    var miningBases: Int?

    @Option(parsing: .unconditional, help: "Background windows at or above this probability are mined (default: 0.03).")
    var miningThreshold: Float?

    @Option(parsing: .unconditional, help: "The most windows one mining round adds (default: 4000).")
    var miningMaxAdded: Int?

    @Option(parsing: .unconditional, help: "Mined windows on one strand of a background stretch are at least this many bases apart (default: 4).")
    var miningSpacing: Int?

    @Option(parsing: .unconditional, help: "Loss weight of a mined negative relative to a labelled sequence (default: 1).")
    var miningWeight: Float?

    @Option(parsing: .unconditional, help: "Background windows scoring at least this quantile of the held-out positives are not mined (default: 0.25; 1 keeps only the best positive's score out).")
    var miningCeilingQuantile: Double?

    @Flag(inversion: .prefixedNo, help: "Let a motif found by EM compete with the trained network (default: with the default recipe, when --arch, --kernel-size and --filters are not given).")
    var motifCandidate: Bool?

    @Flag(help: "Mine background windows even when they hold the 12-mer common to the labelled positives.")
    var mineLabelledSites = false

    @Option(parsing: .unconditional, help: "Threads that scan background while mining (default: the number of cores; the model does not depend on it).")
    var threads: Int?

    @Option(parsing: .unconditional, help: "Seed for initialisation, shuffling, background and dropout.")
    var seed: UInt32 = 0

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the model here (JSON; - for stdout, the summary then going to stderr). Required.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("The model's name: scan's BED name column and track names show it (default: the -o file's name without .json, or the architecture's with -o -).", valueName: "name"))
    var name: String?

    @Option(help: ArgumentHelp("Write the test metrics here as JSON.", valueName: "file"))
    var metricsJson: String?

    @Option(help: ArgumentHelp(
        "Write a report: one self-contained HTML page (learning curves with the mining rounds, ROC and precision-recall curves of the test split, background false-positive rate per round, filter logos) and the filters as MEME motifs beside it (FILE.meme for FILE.html). A name without .html is a directory, as before: DIR/index.html and DIR/filters.meme.",
        valueName: "file.html"))
    var report: String?

    @Flag(help: "Do not print the per-epoch lines.")
    var quiet = false

    func validate() throws {
        if output == nil { throw ValidationError("give -o FILE for the model (or -o - for stdout): without it the trained model would be lost") }
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1") }
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        if !(learningRate > 0) { throw ValidationError("--learning-rate must be positive") }
        if let weightDecay, !(weightDecay >= 0 && weightDecay < 1) { throw ValidationError("--weight-decay must be in [0, 1)") }
        if let kernelSize, !(1...49).contains(kernelSize) { throw ValidationError("--kernel-size must be 1 to 49") }
        if let filters, !(1...1024).contains(filters) { throw ValidationError("--filters must be 1 to 1024") }
        if let backgroundWeight, !(backgroundWeight > 0 && backgroundWeight <= 1000) {
            throw ValidationError("--background-weight must be in (0, 1000]")
        }
        if let backgroundRatio, !(0...1000).contains(backgroundRatio) { throw ValidationError("--background-ratio must be 0 to 1000") }
        if let miningRounds, !(0...1000).contains(miningRounds) { throw ValidationError("--mining-rounds must be 0 to 1000") }
        if let miningBases, !(1...1_000_000_000).contains(miningBases) {
            throw ValidationError("--mining-bases must be 1 to 1000000000")
        }
        if let miningThreshold, !(miningThreshold > 0 && miningThreshold < 1) {
            throw ValidationError("--mining-threshold must be between 0 and 1")
        }
        if let miningCeilingQuantile, !(miningCeilingQuantile >= 0 && miningCeilingQuantile <= 1) {
            throw ValidationError("--mining-ceiling-quantile must be in [0, 1]")
        }
        if let miningWeight, !(miningWeight > 0 && miningWeight <= 1000) { throw ValidationError("--mining-weight must be in (0, 1000]") }
        if let miningSpacing, !(1...1_000_000).contains(miningSpacing) { throw ValidationError("--mining-spacing must be 1 to 1000000") }
        if let miningMaxAdded, !(1...10_000_000).contains(miningMaxAdded) { throw ValidationError("--mining-max-added must be 1 to 10000000") }
        if let lowComplexityShare, !(lowComplexityShare >= 0 && lowComplexityShare <= 1) {
            throw ValidationError("--low-complexity-share must be in [0, 1]")
        }
        if let threads, !(1...1024).contains(threads) { throw ValidationError("--threads must be 1 to 1024") }
        if let name, !Train.isModelName(name) {
            throw ValidationError("--name must be one word of letters, digits and . _ - (it becomes a BED column), not '\(name)'")
        }
    }

    /// A name the BED name column and track lines can carry as it is.
    static func isModelName(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 64 && text.utf8.allSatisfy { $0 < 0x80 && ($0 == 0x2E || $0 == 0x5F || $0 == 0x2D || ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A)) }
    }

    /// --name, or the output file's name without its directory and .json when that is a name.
    var modelName: String? {
        if let name { return name }
        guard let output, output != "-" else { return nil }
        var stem = Substring(output.split(separator: "/").last ?? "")
        if stem.hasSuffix(".json") { stem = stem.dropLast(5) }
        return Train.isModelName(String(stem)) ? String(stem) : nil
    }

    func run() throws {
        try reportingErrors("train") {
            refuseOverwritingInputs("train", inputs: [input.sequences, input.labels],
                                    outputs: [("-o", output), ("--metrics-json", metricsJson),
                                              ("--report", report.flatMap { $0.hasSuffix(".html") ? $0 : nil })])
            let data = try input.load(command: "train")
            var options = TrainingOptions()
            options.architecture = architecture
            options.kernelSize = kernelSize
            options.filters = filters
            options.recipe = recipe
            options.loss = loss
            options.epochs = epochs
            options.batchSize = batchSize
            options.learningRate = learningRate
            options.seed = seed
            options.weightDecay = weightDecay
            options.backgroundRatio = backgroundRatio
            options.backgroundWeight = backgroundWeight
            options.miningRounds = miningRounds
            options.miningBases = miningBases
            options.miningThreshold = miningThreshold
            options.miningWeight = miningWeight
            options.miningCeilingQuantile = miningCeilingQuantile
            options.miningSpacing = miningSpacing
            options.excludeLabelledSites = !mineLabelledSites
            options.motifCandidate = motifCandidate
            options.miningMaximumAdded = miningMaxAdded
            options.lowComplexityShare = lowComplexityShare
            options.threads = threads ?? ScoringOptions().threads
            options.hitFinder = { ScanHitFinder(network: $0) }
            let result = try Trainer(options: options).train(data) { event in
                if !quiet { printError(event.line) }
            }
            let test = result.test
            // With the model on stdout (-o -), the summary goes to stderr, so that stdout holds the model alone.
            let line = "test: \(test.summary) (n=\(test.count), best epoch \(result.bestEpoch))"
            if output == "-" { printError(line) } else { try printResult(line) }
            if let report {
                if report.hasSuffix(".html") {
                    let memePath = String(report.dropLast(5)) + ".meme"
                    let memeName = String(memePath.split(separator: "/").last ?? "filters.meme")
                    let (page, meme) = TrainingReport(result: result, data: data, options: options, memeName: memeName).files()
                    for (path, text) in [(report, page), (memePath, meme)] {
                        let file = try OutputFile(path: path)
                        try file.write(text)
                        try file.commit()
                    }
                } else {
                    let (page, meme) = TrainingReport(result: result, data: data, options: options).files()
                    try writeFiles(into: report, [("index.html", page), ("filters.meme", meme)])
                }
            }
            if let failure = result.failure {
                fail("train", "training failed: \(failure); no model written")
            }
            if let output {
                var network = result.network
                if let modelName { network.name = modelName }
                let file = try OutputFile(path: output)
                try file.write(network.modelFileText())
                try file.commit()
            }
            if let metricsJson {
                let file = try OutputFile(path: metricsJson)
                try file.write(test.document(split: "test", legacySizeKey: "test_size", extra: [
                    ("architecture", .string(options.resolvedArchitecture.rawValue)), ("recipe", .string(recipe.rawValue)),
                    ("seed", .number(Int(seed))), ("best_epoch", .number(result.bestEpoch)),
                    ("epochs_run", .number(result.history.count)),
                    ("seconds", .number(result.history.reduce(0) { $0 + $1.seconds })),
                ]).serialized() + "\n")
                try file.commit()
            }
        }
    }
}
