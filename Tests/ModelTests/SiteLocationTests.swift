import Model
import TestSupport
import Testing

/// Where the model sees its site (`Network.siteSpans`), checked against the planted site and
/// against the definition computed from the weights directly.
@Suite struct SiteLocationTests {
    static let site = Array("AAAGAGGAAGTT".utf8)

    static func randomWindow(_ random: inout MersenneTwister) -> [UInt8] {
        (0..<50).map { _ in Array("ACGT".utf8)[random.nextInt(through: 3)] }
    }

    /// The built-in model finds the seed's 12-mer wherever it lies in the window.
    @Test func theBuiltinModelFindsThePlantedSiteAtEveryOffset() throws {
        let network = try Network.builtin()
        var random = MersenneTwister(seed: 5)
        let windows = (0...38).map { offset in
            var window = SiteLocationTests.randomWindow(&random)
            window.replaceSubrange(offset..<(offset + 12), with: SiteLocationTests.site)
            return window
        }
        let spans = try #require(network.siteSpans(for: windows))
        #expect(spans.count == windows.count)
        for (offset, span) in spans.enumerated() {
            #expect(span.offset == offset && span.length == 12, "\(span), expected offset \(offset)")
            // Position-invariant: the same 12-mer alone scores the same wherever it lies.
            #expect(span.evidence == spans[0].evidence)
        }
        #expect(network.siteSpans(for: [])?.isEmpty == true)
    }

    /// A window holding the site twice names one of its copies, the first where the two
    /// read alike.
    @Test func aSiteHeldTwiceNamesOneCopy() throws {
        let network = try Network.builtin()
        var random = MersenneTwister(seed: 6)
        var window = SiteLocationTests.randomWindow(&random)
        window.replaceSubrange(5..<17, with: SiteLocationTests.site)
        window.replaceSubrange(30..<42, with: SiteLocationTests.site)
        let span = try #require(network.siteSpans(for: [window])?.first)
        #expect([5, 30].contains(span.offset) && span.length == 12, "\(span)")
        // 25 bases repeated: every convolution output of the first half recurs in the second.
        let half = Array(window[0..<25])
        let twice = try #require(network.siteSpans(for: [half + half])?.first)
        #expect(twice.offset == 5, "\(twice)")
    }

    /// For `global` models with random weights: the chosen position is the one whose
    /// outputs alone give the highest logit, computed here from the weights (convolution,
    /// dense layers).
    @Test func theChosenPositionIsTheOneWhoseOutputsAloneScoreHighest() throws {
        var random = MersenneTwister(seed: 8)
        for (kernel, filters) in [(12, 32), (9, 16), (20, 8)] {
            var network = try Architecture.global.network(inputLength: 50, kernelSize: kernel, filters: filters)
            network.initialise(random: &random)
            network.parameters = network.parameters.map { $0 * 3 }
            let windows = (0..<20).map { _ in SiteLocationTests.randomWindow(&random) }
            let spans = try #require(network.siteSpans(for: windows))
            for (window, span) in zip(windows, spans) {
                let alone = SiteLocationTests.logitsAlone(network, window: window, kernel: kernel, filters: filters)
                let best = try #require(alone.max())
                #expect(abs(span.evidence - best) <= 1e-3 * max(1, abs(best)), "\(span) against \(best)")
                #expect(span.length == kernel && alone[span.offset] >= best - 1e-3 * max(1, abs(best)))
            }
        }
    }

    /// For seed-shaped models (nine pools of four, a position-specific dense layer) with
    /// random weights: the chosen position is the one whose removal from its pool lowers the
    /// logit most, computed here from the weights.
    @Test func withSeveralPoolsTheChosenPositionIsTheOneTheLogitNeedsMost() throws {
        var random = MersenneTwister(seed: 10)
        var network = try Architecture.seed.network()
        network.initialise(random: &random)
        network.parameters = network.parameters.map { $0 * 3 }
        let windows = (0..<20).map { _ in SiteLocationTests.randomWindow(&random) }
        let spans = try #require(network.siteSpans(for: windows))
        for (window, span) in zip(windows, spans) {
            let values = SiteLocationTests.convolution(network, window: window, kernel: 12, filters: 32)
            func logit(leavingOut left: Int?) -> Float {
                var pooled: [Float] = []
                for pool in 0..<9 {
                    for f in 0..<32 {
                        var largest = -Float.infinity
                        for t in (pool * 4)..<(pool * 4 + 4) where t != left { largest = max(largest, values[t][f]) }
                        pooled.append(largest)
                    }
                }
                return SiteLocationTests.dense(network, pooled)
            }
            let whole = logit(leavingOut: nil)
            let drops = (0..<39).map { whole - logit(leavingOut: $0) }
            let best = try #require(drops.max())
            #expect(abs(span.evidence - best) <= 1e-3 * max(1, abs(best)), "\(span) against \(best)")
            #expect(span.length == 12 && drops[span.offset] >= best - 1e-3 * max(1, abs(best)))
        }
    }

    /// The k-mers' logits of a long stretch, sliced to a window, give exactly the site that
    /// the window alone gives (so a scan's sites do not depend on how windows are grouped).
    @Test func aStretchsKmerLogitsGiveEachWindowsOwnSite() throws {
        var random = MersenneTwister(seed: 12)
        var network = try Architecture.global.network(inputLength: 50, kernelSize: 16, filters: 32)
        network.initialise(random: &random)
        network.parameters = network.parameters.map { $0 * 3 }
        for model in [try Network.builtin(), network] {
            #expect(model.locatesSitesByKmer)
            var stretch = (0..<3000).map { _ in Array("ACGT".utf8)[random.nextInt(through: 3)] }
            stretch.replaceSubrange(1000..<1012, with: SiteLocationTests.site)
            let logits = model.kmerLogits(stretch[...])
            let k = model.inputLength - (model.shapes[1].length - 1)
            #expect(logits.count == stretch.count - k + 1)
            let starts = Array(0..<200) + Array(940...1000) + [2950]
            let alone = try #require(model.siteSpans(for: starts.map { Array(stretch[$0..<($0 + 50)]) }))
            for (start, span) in zip(starts, alone) {
                let shared = try #require(model.siteSpan(kmerLogits: logits[start..<(start + 51 - k)]))
                #expect(shared == span, "window at \(start)")
            }
        }
        #expect(try !Architecture.seed.network().locatesSitesByKmer)
    }

    /// A stack whose first convolution is not pooled does not locate sites.
    @Test func aStackWithoutPoolingLocatesNothing() throws {
        let network = try Network(name: "flat", inputLength: 50, layers: [
            .conv1d(filters: 4, kernelSize: 5, padding: .valid, activation: .relu), .flatten,
            .dense(units: 1, activation: .sigmoid),
        ])
        #expect(!network.locatesSites)
        #expect(network.siteSpans(for: [Array(repeating: UInt8(ascii: "A"), count: 50)]) == nil)
        #expect(try Architecture.seed.network().locatesSites && Architecture.deep.network().locatesSites)
    }

    /// The logit of each convolution position's outputs alone, from the weights.
    static func logitsAlone(_ network: Network, window: [UInt8], kernel: Int, filters: Int) -> [Float] {
        convolution(network, window: window, kernel: kernel, filters: filters).map { dense(network, $0) }
    }

    /// conv[t][f] = bias + Σ_k kernel[k, base(t + k), f]  (kernel layout (K, 4, F)), from the weights.
    static func convolution(_ network: Network, window: [UInt8], kernel: Int, filters: Int) -> [[Float]] {
        let codes = window.map { Int(Nucleotide.code[Int($0)]) }
        guard let conv = network.weightRanges(layer: 0) else { return [] }
        let w = network.parameters
        return (0..<(50 - kernel + 1)).map { t in
            (0..<filters).map { f in
                var sum = w[conv.bias.lowerBound + f]
                for k in 0..<kernel where codes[t + k] < 4 { sum += w[conv.kernel.lowerBound + (k * 4 + codes[t + k]) * filters + f] }
                return sum
            }
        }
    }

    /// Dense(relu) then Dense(1) on the pooled values (layers 3 and 4), as a logit.
    static func dense(_ network: Network, _ pooled: [Float]) -> Float {
        guard let hidden = network.weightRanges(layer: 3), let output = network.weightRanges(layer: 4) else { return .nan }
        let w = network.parameters, units = hidden.bias.count
        var result = w[output.bias.lowerBound]
        for u in 0..<units {
            var z = w[hidden.bias.lowerBound + u]
            for (i, value) in pooled.enumerated() { z += value * w[hidden.kernel.lowerBound + i * units + u] }
            result += max(0, z) * w[output.kernel.lowerBound + u]
        }
        return result
    }
}
