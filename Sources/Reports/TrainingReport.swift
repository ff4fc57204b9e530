import Foundation
import Interpretation
import Model

/// `annotate train --report DIR`: one self-contained page of how a training run went.
public struct TrainingReport {
    /// The notebook's published test-split figures, shown beside this run's.
    public static let notebookAUC = 0.9971, notebookAUPRC = 0.9969
    /// Filters drawn as logos (all are in the table and the MEME file).
    static let logos = 8

    public let result: TrainingResult
    public let data: LabelledSequences
    public let options: TrainingOptions
    /// The MEME file's name beside the page.
    public let memeName: String

    public init(result: TrainingResult, data: LabelledSequences, options: TrainingOptions, memeName: String = "filters.meme") {
        (self.result, self.data, self.options, self.memeName) = (result, data, options, memeName)
    }

    /// The page and the MEME motif file it links to.
    public func files() -> (page: String, meme: String) {
        let network = result.network
        let test = data.subset(NotebookSplit(count: data.count).test)
        let scores = network.predict(oneHot: Nucleotide.oneHot(test.records.map(\.bases)), count: test.count)
        let evaluation = Evaluation(scores: scores, labels: test.labels)
        let bases = data.records.map(\.bases)
        let motifs = network.filterMotifs(sequences: bases, labels: data.labels) ?? []
        let background = Nucleotide.frequencies(bases)

        var page = HTMLReport(title: "annotate train: \(network.name)")
        page.facts(facts(evaluation))
        page.heading("Learning curves")
        page.figures([(lossChart().svg(inline: true), "Loss per epoch on the training rows (labelled sequences with their background and mined negatives) and on the validation split (labelled only)." + miningCaption),
                      (accuracyChart().svg(inline: true), "Accuracy (p > 0.5) per epoch." + miningCaption)])
        page.heading("Test split (\(test.count) sequences, scikit-learn's random_state=42)")
        page.figures(curves(scores: scores, labels: test.labels, evaluation: evaluation))
        if !result.mining.isEmpty {
            page.heading("Specificity on background DNA")
            page.figure(miningChart().svg(inline: true), caption: "The share of fresh background windows (both strands) the model called at p ≥ 0.5 at each mining round, before that round's negatives were added. A genome has about 10⁵ background windows per site, so this rate, not the test split's, decides how many calls are false.")
            page.table(header: ["round", "after epoch", "background", "windows", "at p ≥ 0.5", "FPR", "candidates", "holding a site", "added", "pool"],
                       rows: result.mining.map(miningRow))
        }
        page.heading("What the filters learned")
        page.paragraph("Each first-layer filter's sites (subsequences reaching half its maximum activation over the \(data.count) labelled sequences) as an information-content logo; filters are ranked by the AUC over those sequences lost when the filter is zeroed, as annotate motifs ranks them.")
        for motif in motifs.filter({ $0.sites > 0 }).prefix(TrainingReport.logos) {
            page.figure(InterpretationWriters.logoSVG(motif: motif, background: background, inline: true),
                        caption: "Rank \(motif.rank): filter \(motif.filter), consensus \(motif.consensus).")
        }
        page.table(header: ["rank", "filter", "consensus", "bits", "sites", "AUC lost when zeroed", "MEME"], rows: motifs.map { motif in
            [.number("\(motif.rank)"), .number("\(motif.filter)"), .code(motif.consensus),
             .number(fixed(motif.informationContent(background: background), 2)), .number("\(motif.sites)"),
             .number(String(format: "%.3g", motif.importance)),
             motif.sites > 0 ? .link("MOTIF filter\(motif.filter)", to: memeName) : .text("no sites")]
        })
        page.paragraph("All motifs in the MEME minimal motif format (for Tomtom or FIMO), beside this page: ", link: (memeName, memeName))
        return (page.finish(), InterpretationWriters.meme(motifs: motifs, background: background))
    }

    private var miningCaption: String {
        result.mining.isEmpty ? "" : " Dashed lines: the hard-negative mining rounds, after the epoch they follow."
    }

    private func facts(_ evaluation: Evaluation) -> [(String, String)] {
        let network = result.network
        let seconds = result.history.reduce(0) { $0 + $1.seconds } + result.mining.reduce(0) { $0 + $1.seconds }
        func shown(_ value: Double?) -> String { value.map { fixed($0, 4) } ?? "n/a" }
        return [
            ("model", "\(network.name) (\(options.resolvedArchitecture.rawValue) architecture, \(network.parameterCount) parameters, SHA-256 \(network.fingerprint.prefix(16))…)"),
            ("recipe", "\(options.recipe.rawValue): \(options.resolvedLoss.rawValue) loss, \(result.history.count) epochs, batch \(options.resolvedBatchSize), learning rate \(options.learningRate), seed \(options.seed)"),
            ("data", "\(data.count) labelled sequences (SHA-256 \(data.sha256.prefix(16))…); training, validation and test split as the notebook does"),
            ("test split", "AUC \(shown(evaluation.auc)), AUPRC \(shown(evaluation.auprc)), accuracy \(fixed(evaluation.accuracy, 4)) (n = \(evaluation.count)); annotate evaluate prints the same"),
            ("notebook (published)", "AUC \(fixed(TrainingReport.notebookAUC, 4)), AUPRC \(fixed(TrainingReport.notebookAUPRC, 4))"),
            ("weights kept", "epoch \(result.bestEpoch)" + (options.recipe.choosesEpoch
                ?  " (of the epochs after the last mining round, the last within \(options.recipe.epochChoiceTolerance) of their best validation AUPRC)" : " (the last)")),
            ("model choice", result.choice.map { choice in
                "\(choice.keptMotif ? "the motif" : "the trained network") kept: held-out AUPRC \(fixed(choice.networkAUPRC, 4)) for the network, \(fixed(choice.motifAUPRC, 4)) for the motif found by EM (\(choice.motif.width) bp, \(choice.motif.consensus))"
                    + (choice.keptMotif ? "; the learning curves below are the network's, which the motif replaced" : "")
            } ?? "the trained network (no motif competed: the site is one word, or the recipe or shape was chosen)"),
            ("outcome", result.failure.map { "FAILED: \($0); annotate train wrote no model" } ?? "usable"),
            ("mining", result.mining.isEmpty ? "none" : "\(result.mining.count) rounds, \(result.mining.last?.poolSize ?? 0) mined negatives in the end"),
            ("time", "\(fixed(seconds, 1)) s"),
        ]
    }

    private var markers: [(x: Double, label: String)] {
        result.mining.map { (Double($0.afterEpoch) + 0.5, "mining \($0.round)") }
    }

    func lossChart() -> LineChart {
        let loss = options.resolvedLoss == .mse ? "mean squared error" : "binary cross-entropy"
        var chart = LineChart(title: "Loss per epoch", x: ChartAxis("epoch", integer: true), y: ChartAxis("loss (\(loss))"), series: [
            ChartSeries("training", points: result.history.map { (Double($0.epoch), $0.loss) }, shape: .dots),
            ChartSeries("validation", points: result.history.map { (Double($0.epoch), $0.validationLoss) }, dashed: true, shape: .dots),
        ])
        chart.markers = markers
        return chart
    }

    func accuracyChart() -> LineChart {
        var chart = LineChart(title: "Accuracy per epoch", x: ChartAxis("epoch", integer: true), y: ChartAxis("accuracy (share of sequences, p > 0.5)"), series: [
            ChartSeries("training", points: result.history.map { (Double($0.epoch), $0.accuracy) }, shape: .dots),
            ChartSeries("validation", points: result.history.map { (Double($0.epoch), $0.validationAccuracy) }, dashed: true, shape: .dots),
        ])
        chart.markers = markers
        return chart
    }

    /// The ROC and precision–recall curves, with the areas `Evaluation` (and so `evaluate`) reports.
    func curves(scores: [Float], labels: [Bool], evaluation: Evaluation) -> [(svg: String, caption: String)] {
        guard let roc = Metrics.rocCurve(scores: scores, labels: labels),
              let pr = Metrics.precisionRecallCurve(scores: scores, labels: labels),
              let auc = evaluation.auc, let auprc = evaluation.auprc else {
            return [("", "The test split has only one class, so it has no ROC or precision–recall curve.")]
        }
        var rocChart = LineChart(title: "ROC curve, test split", x: ChartAxis("false positive rate", range: 0...1),
                                 y: ChartAxis("true positive rate", range: 0...1), series: [
            ChartSeries("this model: AUC \(fixed(auc, 4))", points: roc.map { ($0.fpr, $0.tpr) }),
            ChartSeries("chance: AUC 0.5", points: [(0, 0), (1, 1)], dashed: true, colour: 7),
        ])
        rocChart.notes = ["notebook (published): AUC \(fixed(TrainingReport.notebookAUC, 4))"]
        let positives = Double(labels.count { $0 }) / Double(max(1, labels.count))
        var prChart = LineChart(title: "Precision–recall curve, test split", x: ChartAxis("recall", range: 0...1),
                                y: ChartAxis("precision", range: 0...1), series: [
            ChartSeries("this model: AUPRC \(fixed(auprc, 4))", points: pr.map { ($0.recall, $0.precision) }, shape: .steps),
            ChartSeries("chance: \(fixed(positives, 2)) positives", points: [(0, positives), (1, positives)], dashed: true, colour: 7),
        ])
        prChart.notes = ["notebook (published): AUPRC \(fixed(TrainingReport.notebookAUPRC, 4))"]
        return [(rocChart.svg(inline: true), "Receiver operating characteristic on the \(labels.count) test sequences; the area is scikit-learn's roc_auc_score."),
                (prChart.svg(inline: true), "Precision against recall, drawn as steps; the area is the average precision (scikit-learn's average_precision_score), as the notebook reports it.")]
    }

    func miningChart() -> LineChart {
        // A round without a call is drawn at one call, an upper bound on its rate.
        let points = result.mining.map { round in
            (Double(round.round), Double(max(round.windowsCalled, 1)) / Double(max(round.windowsScanned, 1)))
        }
        var chart = LineChart(title: "Background false-positive rate per mining round", x: ChartAxis("mining round", integer: true),
                              y: ChartAxis("windows called at p ≥ 0.5 (share)", logarithmic: true),
                              series: [ChartSeries("background FPR", points: points, shape: .dots)])
        if result.mining.contains(where: { $0.windowsCalled == 0 }) { chart.notes = ["rounds with no call: drawn at 1 call"] }
        return chart
    }

    private func miningRow(_ round: MiningReport) -> [HTMLReport.Cell] {
        [.number("\(round.round)"), .number("\(round.afterEpoch)"), .number("\(fixed(Double(round.bases) / 1e6, 1)) Mbp"),
         .number("\(round.windowsScanned)"), .number("\(round.windowsCalled)"), .number(scientific(round.falsePositiveRate)),
         .number("\(round.candidates)"), .number("\(round.excluded)"), .number("\(round.added)"), .number("\(round.poolSize)")]
    }
}
