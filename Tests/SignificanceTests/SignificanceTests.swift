import Foundation
import Significance
import Testing

@Suite struct DecoyChainTests {
    /// Codes (0–3) from a fixed, strongly skewed order-3 chain.
    static func skewedSequence(count: Int, seed: UInt64) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        var out = [UInt8](), context = 0
        for _ in 0..<count {
            // Context c favours base (c·7 + 1) % 4 heavily, and A/T over C/G a little.
            let favoured = (context * 7 + 1) % 4
            let u = random.nextUnit()
            let base = u < 0.55 ? favoured : (u < 0.7 ? 0 : (u < 0.8 ? 1 : (u < 0.9 ? 2 : 3)))
            out.append(UInt8(base))
            context = (context * 4 + base) & 63
        }
        return out
    }

    static func tetramerFrequencies(_ codes: [UInt8]) -> [Double] {
        var counts = [Double](repeating: 0, count: 256)
        for i in 3..<codes.count {
            counts[Int(codes[i - 3]) << 6 | Int(codes[i - 2]) << 4 | Int(codes[i - 1]) << 2 | Int(codes[i])] += 1
        }
        return counts.map { $0 / Double(codes.count - 3) }
    }

    static func counts(_ codes: [UInt8]) -> TetramerCounts {
        var counts = TetramerCounts()
        for i in 3..<codes.count {
            counts.add(Int(codes[i - 3]) << 6 | Int(codes[i - 2]) << 4 | Int(codes[i - 1]) << 2 | Int(codes[i]))
        }
        return counts
    }

    @Test func decoysKeepTheFourMerCompositionTheyAreFittedTo() {
        let source = DecoyChainTests.skewedSequence(count: 200_000, seed: 3)
        let chain = DecoyChain(counts: DecoyChainTests.counts(source))
        var decoy = [UInt8](repeating: 0, count: 200_000)
        var random = SplitMix64(seed: 11)
        decoy.withUnsafeMutableBufferPointer { chain.sample(into: $0, random: &random) }
        let expected = DecoyChainTests.tetramerFrequencies(source), actual = DecoyChainTests.tetramerFrequencies(decoy)
        let largest = zip(expected, actual).map { abs($0 - $1) }.max() ?? 1
        print("largest 4-mer frequency difference: \(largest) (most common 4-mer: \(expected.max() ?? 0))")
        #expect(largest < 0.003)
        // The source is far from uniform, so matching it is not an accident.
        #expect((expected.max() ?? 0) > 0.02)
    }

    @Test func theSameSeedGivesTheSameDecoy() {
        let chain = DecoyChain(counts: DecoyChainTests.counts(DecoyChainTests.skewedSequence(count: 5_000, seed: 1)))
        func draw(_ seed: UInt64) -> [UInt8] {
            var out = [UInt8](repeating: 9, count: 1_000)
            var random = SplitMix64(seed: seed)
            out.withUnsafeMutableBufferPointer { chain.sample(into: $0, random: &random) }
            return out
        }
        #expect(draw(5) == draw(5))
        #expect(draw(5) != draw(6))
        #expect(draw(5).allSatisfy { $0 < 4 })
    }

    @Test func noCountsGiveUniformBases() {
        var out = [UInt8](repeating: 0, count: 40_000)
        var random = SplitMix64(seed: 2)
        out.withUnsafeMutableBufferPointer { DecoyChain(counts: TetramerCounts()).sample(into: $0, random: &random) }
        for base in 0..<4 {
            let fraction = Double(out.count { $0 == base }) / Double(out.count)
            #expect(abs(fraction - 0.25) < 0.01)
        }
    }
}

@Suite struct PValueTableTests {
    /// A tally of `count` decoys with logits drawn by `draw`.
    static func tally(count: Int, seed: UInt64, _ draw: (inout SplitMix64) -> Double) -> DecoyTally {
        var random = SplitMix64(seed: seed), tally = DecoyTally()
        for _ in 0..<count {
            let logit = draw(&random)
            tally.add(probability: Float(1 / (1 + exp(-logit))))
        }
        return tally
    }

    @Test func belowTheTailPValuesCountTheDecoysAtLeastAsHigh() {
        // 5,000 decoys, one per bin from logit −40 upwards.
        var tally = DecoyTally()
        for k in 0..<5_000 {
            let set = tally.set(bin: ScoreBins.bin(logit: -40) + k, count: 1)
            #expect(set)
        }
        let outside = tally.set(bin: ScoreBins.count, count: 1)
        #expect(!outside)
        let table = PValueTable(tally)
        let tail = table.tail
        #expect(tail != nil)
        for k in [0, 1, 2500, 4700] {
            let logit = ScoreBins.lowerEdge(ScoreBins.bin(logit: -40) + k) + 0.5 / Double(ScoreBins.perLogit)
            guard logit < tail?.threshold ?? .infinity else { continue }
            // Decoys in the window's bin and above: 5,000 − k.
            #expect(table.pValue(logit: logit) == Double(1 + 5_000 - k) / 5_001)
        }
        #expect(tail?.threshold == ScoreBins.lowerEdge(ScoreBins.bin(logit: -40) + 5_000 - 250))
    }

    @Test func pValuesFallAsScoresRiseAndStayAboveZero() {
        let table = PValueTable(PValueTablesTestsData.exponential)
        var previous = 1.0
        for step in 0...9000 {
            let logit = -48 + Double(step) / 125
            let p = table.pValue(logit: logit)
            #expect(p <= previous && p > 0, "at logit \(logit)")
            previous = p
        }
        // The truth at logit 17 is exp(−37 / 2) ≈ 9e-9; the fit extrapolates from about 1e-3.
        let far = table.pValue(logit: 17)
        #expect(far > 9e-9 / 4 && far < 9e-9 * 4)
    }

    @Test func theLowestPassingLogitIsExactlyWherePValuesPass() {
        let table = PValueTable(PValueTablesTestsData.exponential)
        for p in [0.5, 0.01, 1e-3, 1e-4, 1e-6, 1e-10] {
            let logit = table.lowestLogit(passing: p)
            #expect(table.pValue(logit: logit + 1e-9) <= p * (1 + 1e-9), "p \(p)")
            #expect(table.pValue(logit: logit - 1.5 / Double(ScoreBins.perLogit)) > p, "p \(p)")
        }
    }

    @Test func anExponentialTailIsFittedAsOne() throws {
        // Logits −20 + Exp(scale 2): the top 250 of 200,000 are exponential too.
        let tail = try #require(PValueTable(PValueTablesTestsData.exponential).tail)
        print("exponential tail: shape \(tail.shape), scale \(tail.scale)")
        #expect(tail.shape < 0.1)
        #expect(abs(tail.scale - 2) < 0.35)
    }

    @Test func aHeavyTailKeepsItsShape() throws {
        // Generalized Pareto with shape 0.3 and scale 0.1 above logit −30 (its largest
        // values stay below logit −15, where a Float probability still tells them apart).
        let tally = PValueTableTests.tally(count: 200_000, seed: 9) { random in
            -30 + 0.1 * (pow(1 - random.nextUnit(), -0.3) - 1) / 0.3
        }
        let tail = try #require(PValueTable(tally).tail)
        print("heavy tail: shape \(tail.shape), scale \(tail.scale)")
        #expect(abs(tail.shape - 0.3) < 0.15)
    }

    @Test func aBoundedTailIsExtrapolatedAsExponentialNotAsBounded() throws {
        // Uniform logits on [−30, −20]: a bounded tail (shape −1); held at shape 0, so
        // p-values beyond the largest decoy stay above 0 instead of being 0.
        let table = PValueTable(PValueTableTests.tally(count: 100_000, seed: 4) { random in -30 + 10 * random.nextUnit() })
        let tail = try #require(table.tail)
        #expect(tail.shape == 0)
        #expect(table.pValue(logit: -19) > 0 && table.pValue(logit: -19) < 250.0 / 100_000)
    }

    @Test func fewDecoysGiveNoTail() {
        let table = PValueTable(PValueTableTests.tally(count: 50, seed: 1) { random in random.nextUnit() })
        #expect(table.tail == nil)
        #expect(table.pValue(logit: 40) == 1.0 / 51)
    }
}

enum PValueTablesTestsData {
    static let exponential = PValueTableTests.tally(count: 200_000, seed: 7) { random in -20 - 2 * log(1 - random.nextUnit()) }
}

@Suite struct BenjaminiHochbergTests {
    /// q-values the slow way: for each p, the least p′ · m / #{≤ p′} over p′ ≥ p.
    static func reference(_ p: [Double], tests: Int) -> [Double] {
        p.map { pi in
            p.filter { $0 >= pi }.map { pj in pj * Double(tests) / Double(p.count { $0 <= pj }) }.min().map { min($0, 1) } ?? 1
        }
    }

    @Test func matchesTheDefinitionWithTiesAndExtraTests() {
        var random = SplitMix64(seed: 12)
        // 300 p-values on a coarse grid (so that there are ties), out of 10,000 tests.
        let p = (0..<300).map { _ in (Double(Int(random.nextUnit() * 200)) + 1) * 1e-5 }
        let bh = BenjaminiHochberg(pValues: p, tests: 10_000)
        let expected = BenjaminiHochbergTests.reference(p, tests: 10_000)
        for (pi, qi) in zip(p, expected) { #expect(abs(bh.qValue(pi) - qi) <= 1e-12 * qi) }
    }

    @Test func theSmallestPValuesAloneGiveTheirQValues() {
        var random = SplitMix64(seed: 13)
        let p = (0..<2_000).map { _ in pow(random.nextUnit(), 3) }
        let all = BenjaminiHochberg(pValues: p, tests: 50_000)
        let cut = 0.05 * 2_000 / 50_000
        let some = BenjaminiHochberg(pValues: p.filter { $0 <= cut }, tests: 50_000)
        for pi in p where pi <= cut {
            if all.qValue(pi) <= 0.05 { #expect(some.qValue(pi) == all.qValue(pi)) }
        }
        #expect(some.count(atMost: 0.05) == all.count(atMost: 0.05))
    }
}

@Suite struct ClusterTallyTests {
    /// Clusters at bin level k, counted as the definition says: windows at or above k (in
    /// one residue class of the step) none of whose `lookback` predecessors is.
    static func naive(_ bins: [Int32], step: Int, lookback: Int, level k: Int) -> Int64 {
        var count: Int64 = 0
        for i in bins.indices where Int(bins[i]) >= k {
            let before = (1...max(lookback, 1)).prefix(lookback).map { i - $0 * step }.filter { $0 >= 0 }
            if before.allSatisfy({ Int(bins[$0]) < k }) { count += 1 }
        }
        return count
    }

    /// Scores of a wandering walk: runs of high and low windows, as a model's track has.
    static func walk(count: Int, seed: UInt64) -> [Int32] {
        var random = SplitMix64(seed: seed), level = 4000.0
        return (0..<count).map { _ in
            level = min(max(level + 300 * (random.nextUnit() - 0.5) + (random.nextUnit() < 0.01 ? 2000 : 0), 0),
                        Double(ScoreBins.count - 1))
            return Int32(level)
        }
    }

    @Test func countsAtEveryLevelAreTheClustersOfTheDefinition() {
        for (step, lookback, seed) in [(1, 50, 1 as UInt64), (1, 0, 2), (3, 16, 3), (50, 1, 4), (7, 7, 5)] {
            let bins = ClusterTallyTests.walk(count: 3_000, seed: seed)
            var tally = ClusterTally()
            bins.withUnsafeBufferPointer { tally.add(bins: $0, step: step, lookback: lookback) }
            #expect(tally.windows == 3_000)
            var sum: Int64 = 0
            var sums = [Int64](repeating: 0, count: ScoreBins.count + 1)
            for k in stride(from: ScoreBins.count - 1, through: 0, by: -1) {
                sum += tally.counts[k]
                sums[k] = sum
            }
            for k in stride(from: 0, to: ScoreBins.count, by: 97) {
                #expect(sums[k] == ClusterTallyTests.naive(bins, step: step, lookback: lookback, level: k), "step \(step), lookback \(lookback), level \(k)")
            }
        }
    }

    @Test func talliesAddUpAndWithoutMergingClustersAreWindows() {
        let bins = ClusterTallyTests.walk(count: 2_000, seed: 8)
        var whole = ClusterTally(), halves = ClusterTally(), lone = ClusterTally()
        bins.withUnsafeBufferPointer { buffer in
            whole.add(bins: buffer, step: 1, lookback: 10)
            halves.add(bins: UnsafeBufferPointer(rebasing: buffer[..<1_000]), step: 1, lookback: 10)
            var other = ClusterTally()
            other.add(bins: UnsafeBufferPointer(rebasing: buffer[1_000...]), step: 1, lookback: 10)
            halves.add(other)
            lone.add(bins: buffer, step: 1, lookback: 0)
        }
        #expect(halves.windows == whole.windows)
        // Cut in two, a run across the cut starts a second cluster: never fewer clusters.
        #expect(zip(halves.reaching, whole.reaching).allSatisfy { $0 >= $1 })
        // Without merging every window is its own cluster: the windows' own p-values.
        var windows = DecoyTally()
        for bin in bins { windows.add(bin: Int(bin)) }
        let a = lone.table, b = PValueTable(windows)
        for k in stride(from: 0, to: ScoreBins.count, by: 50) {
            #expect(a.pValue(logit: ScoreBins.lowerEdge(k)) == b.pValue(logit: ScoreBins.lowerEdge(k)))
        }
    }

    @Test func clusterPValuesNeverRiseWithTheScoreAndNeverExceedTheWindows() {
        let bins = ClusterTallyTests.walk(count: 20_000, seed: 11)
        var clusters = ClusterTally(), windows = DecoyTally()
        bins.withUnsafeBufferPointer { clusters.add(bins: $0, step: 1, lookback: 50) }
        for bin in bins { windows.add(bin: Int(bin)) }
        let table = clusters.table, windowTable = PValueTable(windows)
        var previous = 1.0
        for k in 0..<ScoreBins.count {
            let p = table.pValue(logit: ScoreBins.lowerEdge(k) + 0.001)
            #expect(p <= previous)
            previous = p
        }
        // Above the walk's middle, a run of windows is one cluster: p falls many-fold.
        let high = ScoreBins.lowerEdge(Int(bins.max() ?? 0) - 400)
        #expect(table.pValue(logit: high) * 5 < windowTable.pValue(logit: high))
    }
}
