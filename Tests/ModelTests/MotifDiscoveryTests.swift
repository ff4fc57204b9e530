import Foundation
import Model
import Testing

/// EM motif discovery and the motif as a network: sites sampled from a known matrix are
/// found with the matrix's shape, and the network computes exactly the motif's best score.
@Suite struct MotifDiscoveryTests {
    /// A 10-bp matrix with strong and weak positions (rows ACGT).
    static let matrix: [[Double]] = [
        [0.1, 0.1, 0.7, 0.1], [0.8, 0.1, 0.05, 0.05], [0.05, 0.05, 0.05, 0.85], [0.85, 0.05, 0.05, 0.05],
        [0.9, 0.03, 0.04, 0.03], [0.4, 0.2, 0.2, 0.2], [0.05, 0.05, 0.85, 0.05], [0.3, 0.3, 0.2, 0.2],
        [0.1, 0.6, 0.2, 0.1], [0.25, 0.25, 0.25, 0.25],
    ]

    static func draw(_ weights: [Double], _ random: inout MersenneTwister) -> UInt8 {
        var u = random.nextDouble()
        for (i, w) in weights.enumerated() {
            u -= w
            if u < 0 { return Nucleotide.letters[i] }
        }
        return Nucleotide.letters[3]
    }

    /// Labelled 50-mers built the seed's way: half with one site sampled from `matrix` at a
    /// random offset and orientation, half random.
    static func set(count: Int, seed: UInt32) -> (positives: [[UInt8]], negatives: [[UInt8]]) {
        var random = MersenneTwister(seed: seed)
        func randomSequence() -> [UInt8] { (0..<50).map { _ in draw([0.25, 0.25, 0.25, 0.25], &random) } }
        var positives = [[UInt8]](), negatives = [[UInt8]]()
        for _ in 0..<count {
            var sequence = randomSequence()
            var site = matrix.map { draw($0, &random) }
            if random.nextDouble() < 0.5 { site = ReverseComplement.of(site) }
            let offset = Int(random.nextDouble() * Double(50 - site.count + 1))
            sequence.replaceSubrange(offset..<(offset + site.count), with: site)
            positives.append(sequence)
            negatives.append(randomSequence())
        }
        return (positives, negatives)
    }

    /// The motif's frequencies aligned to the matrix, in whichever orientation and offset
    /// fits best: the largest absolute difference.
    static func distance(_ motif: DiscoveredMotif) -> Double {
        let f = motif.frequencies
        let orientations = [matrix, matrix.reversed().map { Array($0.reversed()) }]
        var best = Double.infinity
        for m in orientations {
            for offset in (1 - m.count)..<f.count {
                // Matrix position j against motif position offset + j, where both exist (8 at least).
                let shared = m.indices.filter { f.indices.contains(offset + $0) }
                guard shared.count >= 8 else { continue }
                let worst = shared.map { j in (0..<4).map { abs(f[offset + j][$0] - m[j][$0]) }.max() ?? 0 }.max() ?? 0
                best = min(best, worst)
            }
        }
        return best
    }

    @Test func emFindsTheMatrixItsSitesWereSampledFrom() throws {
        let (positives, negatives) = MotifDiscoveryTests.set(count: 600, seed: 11)
        let motif = try #require(MotifDiscovery().discover(positives: positives, negatives: negatives))
        // Positions 0–8 carry the information (9, uniform, is left out).
        #expect(motif.width >= 8 && motif.width <= 10)
        #expect(MotifDiscoveryTests.distance(motif) < 0.08)
        // Deterministic: the same sequences give the same motif.
        #expect(MotifDiscovery().discover(positives: positives, negatives: negatives) == motif)
    }

    @Test func withoutASiteNoPositionIsInformative() throws {
        let (_, negatives) = MotifDiscoveryTests.set(count: 300, seed: 12)
        let (_, others) = MotifDiscoveryTests.set(count: 300, seed: 13)
        let motif = try #require(MotifDiscovery().discover(positives: negatives, negatives: others))
        // EM fits noise somewhere, but nothing like a site's 1–2 bits per position.
        #expect((motif.informationContent.max() ?? 9) < 1.0)
    }

    @Test func theMotifNetworkScoresAWindowOnItsStrandAndASequenceOnItsBestStrand() throws {
        let (positives, negatives) = MotifDiscoveryTests.set(count: 300, seed: 14)
        let motif = try #require(MotifDiscovery().discover(positives: positives, negatives: negatives))
        let (slope, intercept): (Float, Float) = (0.7, -5)
        let network = try motif.network(inputLength: 50, slope: slope, intercept: intercept)
        #expect(network.layers.count == 5 && network.bestStrand)
        var sequences = Array(positives.prefix(20) + negatives.prefix(20))
        sequences[0][7] = UInt8(ascii: "N")
        let oneHot = Nucleotide.oneHot(sequences), reversed = Nucleotide.oneHot(sequences.map { ReverseComplement.of($0) })
        let p = network.predict(oneHot: oneHot, count: sequences.count)
        let q = network.predict(oneHot: reversed, count: sequences.count)
        let window = network.predictWindows(oneHot: oneHot, count: sequences.count)
        func probability(_ score: Double) -> Double { 1 / (1 + exp(-(Double(slope) * score + Double(intercept)))) }
        var strandSpecific = 0
        for (i, sequence) in sequences.enumerated() {
            #expect(abs(Double(p[i]) - probability(motif.bestScore(sequence))) < 1e-5)
            #expect(abs(p[i] - q[i]) < 1e-5)
            // A window, as a scan reads it, scores the motif on its own strand only.
            #expect(abs(Double(window[i]) - probability(motif.bestForwardScore(sequence))) < 1e-5)
            if window[i] < p[i] - 0.01 { strandSpecific += 1 }
        }
        #expect(strandSpecific >= 5)
        // The model file keeps it.
        let reread = try Network.load(modelFile: Array(network.modelFileText().utf8), path: "motif.json")
        #expect(reread.bestStrand && reread.fingerprint == network.fingerprint)
    }

    @Test func theCalibrationIsALogisticFit() {
        // Scores 0…9 labelled positive from 5: the fit's midpoint lies between 4 and 5.
        let x = (0..<200).map { Double($0 % 10) }, y = x.map { $0 >= 5 || ($0 == 4 && Int($0) % 3 == 0) }
        let (a, b) = logisticFit(x, y)
        #expect(a > 0)
        #expect(-b / a > 3.5 && -b / a < 5)
    }
}

/// The default recipe's choice between its trained network and the motif (short runs: the
/// choice, not the network's quality, is under test).
@Suite struct ModelChoiceTests {
    static func labelled(_ positives: [[UInt8]], _ negatives: [[UInt8]]) throws -> LabelledSequences {
        // `sequence<TAB>label` lines, interleaved, so that every part of the split holds both classes.
        var text = [UInt8]()
        for (positive, negative) in zip(positives, negatives) {
            text += positive + Array("\t1\n".utf8) + negative + Array("\t0\n".utf8)
        }
        return try LabelledSequences(sequences: text, sequencesPath: "set.tsv", labels: nil, labelsPath: nil)
    }

    static func quick(motif: Bool? = nil) -> TrainingOptions {
        var options = TrainingOptions()
        options.epochs = 2
        options.miningRounds = 0
        options.backgroundRatio = 0
        options.kernelSize = 12
        options.motifCandidate = motif
        return options
    }

    @Test func aSiteThatVariesGetsTheMotifWhenItRanksHeldOutDataBetter() throws {
        let (positives, negatives) = MotifDiscoveryTests.set(count: 1_000, seed: 21)
        let data = try ModelChoiceTests.labelled(positives, negatives)
        let result = try Trainer(options: ModelChoiceTests.quick(motif: true)).train(data)
        let choice = try #require(result.choice)
        #expect(choice.heldOut == 150)
        // Two epochs of the network against EM's motif: the motif ranks the held-out tenth better.
        #expect(choice.motifAUPRC > choice.networkAUPRC)
        #expect(choice.keptMotif)
        let motifNetwork = try choice.motif.network(inputLength: 50, slope: 1, intercept: 0)
        #expect(result.network.layers == motifNetwork.layers)
        // The generating matrix itself, as a classifier, on the same test split: the kept
        // model ranks the test split as well, within sampling noise.
        let truth = DiscoveredMotif(counts: MotifDiscoveryTests.matrix.map { $0.map { $0 * 1_000 } }, logLikelihood: 0)
        let test = NotebookSplit(count: data.count).test
        let matrixAUC = try #require(Metrics.rocAUC(scores: test.map { Float(truth.bestScore(data.records[$0].bases)) },
                                                    labels: test.map { data.labels[$0] }))
        let auc = try #require(result.test.auc)
        #expect(auc > matrixAUC - 0.04, "test AUC \(auc), the matrix's \(matrixAUC)")
        let record = result.network.training?.fields.first { $0.key == "model_choice" }?.value
        #expect(record == .string("motif"))
    }

    @Test func aOneWordSiteAndAnExplicitShapeKeepTheNetwork() throws {
        var random = MersenneTwister(seed: 22)
        let word = Array("AAAGAGGAAGTT".utf8)
        let (_, negatives) = MotifDiscoveryTests.set(count: 300, seed: 23)
        let positives = negatives.map { sequence -> [UInt8] in
            var copy = sequence.shuffledBases(&random)
            let offset = Int(random.nextDouble() * 39)
            copy.replaceSubrange(offset..<(offset + 12), with: word)
            return copy
        }
        let data = try ModelChoiceTests.labelled(positives, negatives)
        #expect(try Trainer(options: ModelChoiceTests.quick(motif: true)).train(data).choice == nil)
        // With a shape given and no --motif-candidate, the network is trained alone.
        let (p, n) = MotifDiscoveryTests.set(count: 200, seed: 24)
        #expect(try Trainer(options: ModelChoiceTests.quick()).train(try ModelChoiceTests.labelled(p, n)).choice == nil)
    }
}

private extension Array where Element == UInt8 {
    func shuffledBases(_ random: inout MersenneTwister) -> [UInt8] {
        var copy = self
        random.shuffle(&copy)
        return copy
    }
}

extension MotifDiscoveryTests {
    @Test func aSteepCalibrationStopsShortOfOneAboutTheSameMidpoint() throws {
        let motif = DiscoveredMotif(counts: MotifDiscoveryTests.matrix.map { $0.map { $0 * 1_000 } }, logLikelihood: 0)
        let best = motif.bestPossibleScore
        // A gentle fit stays; a steep one is lowered to p = 0.9999 at the best score, with
        // p = 0.5 where it was.
        #expect(motif.calibration((0.5, -2)) == (0.5, -2))
        let steep = motif.calibration((5, -20))
        #expect(abs(steep.slope * best + steep.intercept - log(0.9999 / 0.0001)) < 1e-9)
        #expect(abs(-steep.intercept / steep.slope - 4) < 1e-9)
    }
}

extension MotifDiscoveryTests {
    /// `explain` on a motif model: a sequence whose site lies on its reverse strand is
    /// explained on that strand, in the sequence's own coordinates, and matches the same
    /// sequence explained forward.
    @Test func aBestStrandModelExplainsTheStrandItScored() throws {
        let (positives, negatives) = MotifDiscoveryTests.set(count: 300, seed: 15)
        let motif = try #require(MotifDiscovery().discover(positives: positives, negatives: negatives))
        let network = try motif.network(inputLength: 50, slope: 0.7, intercept: -5)
        let sequence = positives[0], reversed = ReverseComplement.of(sequence)
        let both = network.attributions(for: [sequence, reversed])
        #expect(abs(both[0].probability - both[1].probability) < 1e-6)
        // Position i of one is position 49 − i of the other.
        let mirrored = Array(both[1].gradientTimesInput.reversed())
        for (a, b) in zip(both[0].gradientTimesInput, mirrored) { #expect(abs(a - b) < 1e-5) }
        #expect(both[0].gradientTimesInput.contains { abs($0) > 1e-3 })
    }
}
