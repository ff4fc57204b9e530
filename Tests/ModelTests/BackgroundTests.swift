import Model
import Testing

@Suite struct BackgroundModelTests {
    @Test func fitsTheCompositionOfItsSequences() {
        // A chain fitted to 70% G+C text must give about 70% G+C, and to AT-only text none.
        var random = MersenneTwister(seed: 3)
        let letters = Array("ACGT".utf8)
        let gcRich = (0..<400).map { _ in
            (0..<50).map { _ in random.nextDouble() < 0.7 ? letters[1 + random.nextInt(through: 1)] : letters[3 * random.nextInt(through: 1)] }
        }
        let model = BackgroundModel(fittingTo: gcRich)
        #expect(abs(model.gcContent - 0.7) < 0.02, "gc \(model.gcContent)")
        let sampler = BackgroundSampler(model: model, lowComplexityRate: 0)
        var drawn = [UInt8]()
        for _ in 0..<200 {
            var noTilt = sampler
            noTilt.gcSpread = 0
            noTilt.dinucleotideSpread = 0
            drawn += noTilt.window(length: 50, random: &random)
        }
        let gc = Double(drawn.count { $0 == UInt8(ascii: "C") || $0 == UInt8(ascii: "G") }) / Double(drawn.count)
        #expect(abs(gc - 0.7) < 0.03, "sampled gc \(gc)")
        // One pseudo-count per cell: G and C stay possible, and rare, after 500 A/T bases.
        let atOnly = BackgroundModel(fittingTo: [Array(String(repeating: "ATTAATATTTAAATATTATA", count: 25).utf8)])
        #expect(atOnly.gcContent > 0 && atOnly.gcContent < 0.1, "\(atOnly.gcContent)")
    }

    @Test func transitionsAreDistributions() {
        let model = BackgroundModel(fittingTo: [Array("ACGTACGTTTGCA".utf8), Array("NNACGN".utf8), []])
        for context in 0..<16 {
            let row = model.transitions[(context * 4)..<(context * 4 + 4)]
            #expect(abs(row.reduce(0, +) - 1) < 1e-12)
            #expect(row.allSatisfy { $0 > 0 })
        }
        #expect(abs(model.start.reduce(0, +) - 1) < 1e-12)
    }

    @Test func tiltedCompositionsSpanGenomeGCContents() {
        // ±0.85 log-odds around the chain's own G+C covers about 30%–70% for a 50% chain.
        let uniform = BackgroundModel(fittingTo: [])
        var random = MersenneTwister(seed: 11)
        let low = BackgroundComposition(model: uniform, gcTilt: -0.85, dinucleotideTilts: [])
        let high = BackgroundComposition(model: uniform, gcTilt: 0.85, dinucleotideTilts: [])
        func gc(_ composition: BackgroundComposition) -> Double {
            var bases = [UInt8]()
            composition.sample(100_000, into: &bases, random: &random)
            #expect(bases.count == 100_000)
            #expect(bases.allSatisfy { Array("ACGT".utf8).contains($0) })
            return Double(bases.count { $0 == UInt8(ascii: "C") || $0 == UInt8(ascii: "G") }) / 1e5
        }
        let (lowGC, highGC) = (gc(low), gc(high))
        #expect(lowGC > 0.27 && lowGC < 0.33, "\(lowGC)")
        #expect(highGC > 0.67 && highGC < 0.73, "\(highGC)")
    }

    @Test func samplingIsSeededAndHandlesShortLengths() {
        let sampler = BackgroundSampler(model: BackgroundModel(fittingTo: []), lowComplexityRate: 0.5)
        var a = MersenneTwister(seed: 5), b = MersenneTwister(seed: 5)
        #expect(sampler.stretch(length: 5_000, random: &a) == sampler.stretch(length: 5_000, random: &b))
        #expect(sampler.window(length: 50, random: &a) == sampler.window(length: 50, random: &b))
        for length in 0...3 {
            #expect(sampler.stretch(length: length, random: &a).count == length)
            #expect(sampler.window(length: length, random: &a).count == length)
        }
    }

    @Test func lowComplexityElementsStayInTheirRange() {
        var random = MersenneTwister(seed: 9)
        for _ in 0..<500 {
            var bases = [UInt8](repeating: UInt8(ascii: "N"), count: 80)
            LowComplexity.insert(into: &bases, range: 20..<60, random: &random)
            #expect(bases[..<20].allSatisfy { $0 == UInt8(ascii: "N") })
            #expect(bases[60...].allSatisfy { $0 == UInt8(ascii: "N") })
            #expect(bases[20..<60].contains { $0 != UInt8(ascii: "N") })
        }
    }
}

@Suite struct HardNegativeMiningTests {
    /// Scores a window by how many times "GATTACA" it holds on its strand; deterministic.
    struct MotifCounter: WindowHitFinding {
        func hits(in bases: [UInt8], step: Int, threshold: Float) -> [WindowHit] {
            let motif = Array("GATTACA".utf8), length = 50
            guard bases.count >= length else { return [] }
            var hits = [WindowHit]()
            for start in stride(from: 0, through: bases.count - length, by: step) {
                for reverse in [false, true] {
                    let window = Array(bases[start..<(start + length)])
                    let read = reverse ? ReverseComplement.of(window) : window
                    let count = (0...(length - motif.count)).count { Array(read[$0..<($0 + motif.count)]) == motif }
                    let p: Float = count == 0 ? 0.01 : min(0.99, 0.3 * Float(count))
                    if p >= threshold { hits.append(WindowHit(start: start, reverse: reverse, probability: p)) }
                }
            }
            return hits
        }
    }

    @Test func thinningKeepsTheHighestHitPerNeighbourhoodAndStrand() {
        let hits = [
            WindowHit(start: 10, reverse: false, probability: 0.5), WindowHit(start: 14, reverse: false, probability: 0.9),
            WindowHit(start: 30, reverse: false, probability: 0.6), WindowHit(start: 12, reverse: true, probability: 0.4),
            WindowHit(start: 21, reverse: false, probability: 0.7),
        ]
        let kept = HardNegativeMiner.thin(hits, spacing: 8)
        #expect(kept == [
            WindowHit(start: 14, reverse: false, probability: 0.9), WindowHit(start: 30, reverse: false, probability: 0.6),
            WindowHit(start: 12, reverse: true, probability: 0.4),
        ])
        #expect(HardNegativeMiner.thin([], spacing: 8).isEmpty)
    }

    @Test func minesTheWindowsTheModelCallsInTheirScoredOrientation() {
        let sampler = BackgroundSampler(model: BackgroundModel(fittingTo: []), lowComplexityRate: 0)
        let miner = HardNegativeMiner(sampler: sampler, bases: 300_000, threshold: 0.25, maximumAdded: 1_000, spacing: 50,
                                      stretchLength: 10_000)
        var random = MersenneTwister(seed: 1)
        let (windows, report) = miner.mine(finder: MotifCounter(), windowLength: 50, threads: 2, random: &random)
        // GATTACA is expected about 300 000 · 2 / 4⁷ ≈ 37 times on the two strands.
        #expect(report.windowsScanned == 2 * 30 * (10_000 - 49))
        #expect(report.candidates > 300)
        #expect(windows.count == report.added)
        #expect(windows.count > 15 && windows.count < 120, "\(windows.count)")
        #expect(windows.allSatisfy { $0.count == 50 && String(decoding: $0, as: UTF8.self).contains("GATTACA") })
        // The same seed gives the same windows, whatever the thread count.
        var again = MersenneTwister(seed: 1)
        let (windowsOneThread, _) = miner.mine(finder: MotifCounter(), windowLength: 50, threads: 1, random: &again)
        #expect(windowsOneThread == windows)
        #expect(random.nextUInt32() == again.nextUInt32())
    }

    @Test func aRoundStopsEarlyWhenTheModelCallsEverything() {
        struct CallsEverything: WindowHitFinding {
            func hits(in bases: [UInt8], step: Int, threshold: Float) -> [WindowHit] {
                stride(from: 0, through: bases.count - 50, by: step).map { WindowHit(start: $0, reverse: false, probability: 0.9) }
            }
        }
        let sampler = BackgroundSampler(model: BackgroundModel(fittingTo: []), lowComplexityRate: 0)
        let miner = HardNegativeMiner(sampler: sampler, bases: 10_000_000, threshold: 0.5, maximumAdded: 100, spacing: 50,
                                      stretchLength: 10_000)
        var random = MersenneTwister(seed: 2)
        let (windows, report) = miner.mine(finder: CallsEverything(), windowLength: 50, threads: 2, random: &random)
        #expect(windows.count == 100)
        #expect(report.bases == 32 * 10_000)  // one group of 16 stretches per thread
        #expect(report.windowsCalled == 32 * (10_000 - 49))
    }

    @Test func forwardPassFinderScoresBothStrands() throws {
        let network = try Network.builtin()
        var random = MersenneTwister(seed: 4)
        let sampler = BackgroundSampler(model: BackgroundModel(fittingTo: []), lowComplexityRate: 0)
        var bases = sampler.stretch(length: 300, random: &random)
        bases.replaceSubrange(100..<112, with: Array("AACTTCCTCTTT".utf8))  // the site, on the − strand
        let hits = ForwardPassHitFinder(network: network).hits(in: bases, step: 1, threshold: 0)
        #expect(hits.count == 2 * 251)
        for hit in hits.prefix(40) {
            let window = Array(bases[hit.start..<(hit.start + 50)])
            let p = network.predict(oneHot: Nucleotide.oneHot([hit.reverse ? ReverseComplement.of(window) : window]), count: 1)[0]
            #expect(p == hit.probability)
        }
        let overSite = hits.filter { $0.reverse && (62...100).contains($0.start) }.map(\.probability)
        #expect(overSite.count == 39)
        #expect((overSite.max() ?? 0) > 0.5)
    }

    @Test func reverseComplementKeepsCaseAndOtherBytes() {
        #expect(ReverseComplement.of(Array("ACGTNacgtx".utf8)) == Array("xacgtNACGT".utf8))
        #expect(ReverseComplement.of([]) == [])
    }

    @Test func miningRoundsAreSpreadOverTheEpochs() {
        var options = TrainingOptions()
        #expect(options.miningEpochs == [3, 6, 10, 13, 16, 20, 23, 26])
        options.recipe = .notebook
        #expect(options.miningEpochs == [])
        options.miningRounds = 1
        #expect(options.miningEpochs == [5])
        options.epochs = 1
        #expect(options.miningEpochs == [])
    }
}

@Suite struct LabelledSiteKmerTests {
    @Test func findsTheWordTheLabelledPositivesShare() {
        var random = MersenneTwister(seed: 8)
        let sampler = BackgroundSampler(model: BackgroundModel(fittingTo: []), lowComplexityRate: 0)
        let site = Array("CCGTACGATTGA".utf8)
        let positives = (0..<300).map { _ -> [UInt8] in
            var bases = sampler.window(length: 50, random: &random)
            let at = random.nextInt(through: 38)
            bases.replaceSubrange(at..<(at + 12), with: site)
            return bases
        }
        let negatives = (0..<300).map { _ in sampler.window(length: 50, random: &random) }
        let kmers = LabelledSiteKmers(positives: positives, negatives: negatives, length: 12)
        #expect(kmers.kmers.count == 1)
        #expect(kmers.occurs(in: Array("TTT".utf8) + site + Array("GG".utf8)))
        // One mismatch, at the edge or inside, is a negative to mine, not a labelled site.
        #expect(!kmers.occurs(in: Array("TTTCCGTACGATTGC".utf8)))
        #expect(!kmers.occurs(in: Array("ACCGTACCATTGAT".utf8)))
        #expect(!kmers.occurs(in: Array("CCGTACNATTGA".utf8)))
        // Random positives share no word: nothing is excluded.
        let none = LabelledSiteKmers(positives: negatives, negatives: positives, length: 12)
        #expect(none.kmers.isEmpty && !none.occurs(in: site))
    }
}
