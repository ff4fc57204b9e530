import Foundation

extension DiscoveredMotif {
    /// The motif as a `global` network that the scan's kernels score: 16 filters of the
    /// motif's width, filter 0 its log-odds in bits and the others zero; the max over the
    /// window's positions; a hidden layer passing filter 0's value on (relu(a) − relu(−a));
    /// and the output sigmoid(slope · score + intercept). A window's probability is so a
    /// monotone function of the motif's best log-odds on the strand it is read on, as a
    /// matrix scan scores it: a site is called on its own strand. The network reads
    /// sequences on their best strand (`Network.bestStrand`), as labelled sets hold sites
    /// either way.
    public func network(inputLength: Int, slope: Float, intercept: Float) throws(ModelError) -> Network {
        var network = try Architecture.global.network(inputLength: inputLength, kernelSize: width, filters: 16)
        guard let conv = network.weightRanges(layer: 0), let hidden = network.weightRanges(layer: 3),
              let output = network.weightRanges(layer: 4)
        else { throw .invalidArchitecture("the global architecture has no convolution and two dense layers") }
        let filters = 16, odds = logOdds
        for k in 0..<width {
            for c in 0..<4 { network.parameters[conv.kernel.lowerBound + (k * 4 + c) * filters] = Float(odds[k][c]) }
        }
        network.parameters[hidden.kernel.lowerBound + 0] = 1
        network.parameters[hidden.kernel.lowerBound + 1] = -1
        network.parameters[output.kernel.lowerBound + 0] = slope
        network.parameters[output.kernel.lowerBound + 1] = -slope
        network.parameters[output.bias.lowerBound] = intercept
        network.bestStrand = true
        return network
    }

    /// The motif's highest possible score (bits): its best base at every position.
    public var bestPossibleScore: Double { logOdds.reduce(0) { $0 + ($1.max() ?? 0) } }

    /// A logistic fit's slope and intercept, the slope lowered where it would give the best
    /// possible score more than `DiscoveredMotif.topProbability`, about the same midpoint
    /// (p = 0.5 stays where it was). Sites that labelled sets separate well give a steep
    /// fit, and the strongest sites' probabilities would round to 1 in Float and in every
    /// output, tying exactly the calls that rank first.
    public func calibration(_ fit: (slope: Double, intercept: Double)) -> (slope: Double, intercept: Double) {
        let top = log(DiscoveredMotif.topProbability / (1 - DiscoveredMotif.topProbability))
        guard fit.slope > 0, fit.slope * bestPossibleScore + fit.intercept > top else { return fit }
        let midpoint = -fit.intercept / fit.slope
        guard bestPossibleScore > midpoint else { return fit }
        let slope = top / (bestPossibleScore - midpoint)
        return (slope, -slope * midpoint)
    }

    /// The probability the calibration gives at most to the best possible site.
    public static let topProbability = 0.9999

    /// The best log-odds (bits) of `bases` over its positions on the forward strand.
    public func bestForwardScore(_ bases: [UInt8]) -> Double {
        let odds = logOdds, w = width
        guard bases.count >= w else { return -.infinity }
        var best = -Double.infinity
        for s in 0...(bases.count - w) {
            var f = 0.0
            for j in 0..<w {
                let c = Int(Nucleotide.code[Int(bases[s + j])])
                if c < 4 { f += odds[j][c] }
            }
            best = max(best, f)
        }
        return best
    }

    /// The best log-odds (bits) of `bases` over its positions and both strands; bytes other
    /// than A, C, G and T score 0.
    public func bestScore(_ bases: [UInt8]) -> Double {
        max(bestForwardScore(bases), bestForwardScore(ReverseComplement.of(bases)))
    }
}

/// One-feature logistic regression by Newton's method, with a ridge of `ridge` on the slope
/// so that separable data still gives a finite fit: (slope, intercept).
package func logisticFit(_ x: [Double], _ y: [Bool], ridge: Double = 1) -> (slope: Double, intercept: Double) {
    var a = 0.0, b = 0.0
    for _ in 0..<100 {
        var ga = ridge * a, gb = 0.0, haa = ridge, hab = 0.0, hbb = 1e-9
        for (xi, yi) in zip(x, y) {
            let p = 1 / (1 + exp(-(a * xi + b)))
            let r = p - (yi ? 1 : 0), w = p * (1 - p)
            ga += r * xi
            gb += r
            haa += w * xi * xi
            hab += w * xi
            hbb += w
        }
        let det = haa * hbb - hab * hab
        guard det > 0 else { break }
        let da = (hbb * ga - hab * gb) / det, db = (haa * gb - hab * ga) / det
        a -= da
        b -= db
        if abs(da) + abs(db) < 1e-10 { break }
    }
    return (a, b)
}
