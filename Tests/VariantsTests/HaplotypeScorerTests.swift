import Model
import Scoring
import TestSupport
import Testing
import Variants

/// The variant scorer's parts: VCF data lines as `variants` reads them, and each
/// haplotype's best window against every window scored by the reference kernel.
@Suite struct HaplotypeScorerTests {
    @Test func dataLinesAreReadOrRefusedWithAReason() throws {
        func parse(_ text: String) -> (VariantLine?, String?) { VariantLine.parse(Array(text.utf8)) }
        let line = try #require(parse("chr1\t101\trs1\tAC\tA,G,<DEL>,*\t50\tPASS\tDP=3;END=102\tGT\t0/1").0)
        #expect(line.chromosome == "chr1" && line.position == 101)
        #expect(line.reference == Array("AC".utf8))
        #expect(line.alternates.map { String(decoding: $0, as: UTF8.self) } == ["A", "G", "<DEL>", "*"])
        #expect(line.alternates.map(VariantLine.isSequence) == [true, true, false, false])
        #expect(String(decoding: line.bytes[line.info], as: UTF8.self) == "DP=3;END=102")
        let sitesOnly = try #require(parse("chr2\t5\t.\tn\t.\t.\t.\t.").0)
        #expect(sitesOnly.alternates.isEmpty && String(decoding: sitesOnly.bytes[sitesOnly.info], as: UTF8.self) == ".")
        let refused = [
            ("chr1\t101\t.\tA\tG", "at least 8 tab-separated columns"),
            ("chr1\tx\t.\tA\tG\t.\t.\t.", "POS is not a position"),
            ("\t101\t.\tA\tG\t.\t.\t.", "POS is not a position"),
            ("chr1\t101\t.\tA-\tG\t.\t.\t.", "REF is not made of A, C, G, T and N"),
            ("chr1\t101\t.\t\tG\t.\t.\t.", "REF is not made of A, C, G, T and N"),
            ("chr1\t101\t.\tA\tG,,T\t.\t.\t.", "ALT has an empty allele"),
            ("chr1\t999999999999999999\t.\tA\tG\t.\t.\t.", "POS is not a position"),
        ]
        for (text, reason) in refused {
            let (parsed, why) = parse(text)
            #expect(parsed == nil && why?.contains(reason) == true, "\(text): \(why ?? "accepted")")
        }
    }

    /// Each query's best window is the highest reference probability among its windows on
    /// either strand (the first window, forward first, on ties), whichever windows the fast
    /// pass let through; nil where no window can be scored.
    @Test func theBestWindowIsTheBestOfEveryWindow() throws {
        var random = MersenneTwister(seed: 2)
        let network = try Network.builtin()
        let scorer = makeWindowScorer(for: network)
        let sites = [Array("AAAGAGGAAGTT".utf8), Array("AACTTCCTCTTT".utf8)]
        var haplotypes: [Haplotype] = []
        for n in 0..<60 {
            var bases = (0..<(40 + random.nextInt(through: 160))).map { _ in Array("ACGT".utf8)[random.nextInt(through: 3)] }
            for _ in 0..<random.nextInt(through: 2) where bases.count > 12 {
                let at = random.nextInt(through: bases.count - 12)
                bases.replaceSubrange(at..<(at + 12), with: sites[random.nextInt(through: 1)])
            }
            if n % 7 == 3, bases.count > 60 { bases[random.nextInt(through: bases.count - 1)] = UInt8(ascii: "N") }
            if n % 11 == 5 { bases = [UInt8](repeating: UInt8(ascii: "N"), count: 60) }
            haplotypes.append(Haplotype(bases: bases, start: 1_000 * n))
        }
        let best = HaplotypeScorer(scorer: scorer, windowLength: 50).best(haplotypes)
        for (haplotype, found) in zip(haplotypes, best) {
            var expected: BestWindow?
            for w in 0..<max(0, haplotype.bases.count - 49) {
                let window = Array(haplotype.bases[w..<(w + 50)])
                guard window.allSatisfy({ "ACGT".utf8.contains($0) }) else { continue }
                let (forward, backward) = HaplotypeScorerTests.reference(scorer, window)
                for (reverse, p) in [(false, forward), (true, backward)] {
                    if let current = expected, !(p > current.probability) { continue }
                    expected = BestWindow(probability: p, start: haplotype.start + w, reverse: reverse)
                }
            }
            #expect(found == expected, "haplotype at \(haplotype.start) of \(haplotype.bases.count) bp")
        }
        #expect(best.contains { ($0?.probability ?? 0) > 0.9 }, "some haplotypes hold a site")
    }

    /// One window's probabilities on both strands by the reference kernel, alone.
    static func reference(_ scorer: any WindowScorer, _ window: [UInt8]) -> (forward: Float, reverse: Float) {
        let stretch = window.withUnsafeBufferPointer { bases in
            ScoredStretch(bases: bases, geometry: WindowGeometry(length: 50, step: 1), firstWindow: 0, scorer: scorer,
                          strands: .both, skipSoftMasked: false, precision: .exact)
        }
        return (stretch.forward[0], stretch.reverse[0])
    }
}
