import Model
import Scoring

/// Every `step`-th window of one in-memory sequence scored on both strands by the scorer a
/// scan uses for the model (NaN where a window is not scored): as a scan with probability
/// cut `threshold` scores them (values below it may be the fast kernel's, within 1e-5), or
/// with `threshold` nil, every window by the reference kernel.
enum WindowProbe {
    static func windows(_ network: Network, bases: [UInt8], step: Int = 1, threshold: Float?) -> [(forward: Float, reverse: Float)] {
        let stretch = bases.withUnsafeBufferPointer { bases in
            ScoredStretch(bases: bases, geometry: WindowGeometry(length: network.inputLength, step: step), firstWindow: 0,
                          scorer: makeWindowScorer(for: network), strands: .both, skipSoftMasked: false,
                          precision: ScoringPrecision(threshold: threshold, approximateBelow: true))
        }
        return (0..<stretch.windows).map { (stretch.forward[$0], stretch.reverse[$0]) }
    }

    /// The windows' forward and reverse probabilities, in turn.
    static func probabilities(_ network: Network, bases: [UInt8], step: Int = 1, threshold: Float?) -> [Float] {
        windows(network, bases: bases, step: step, threshold: threshold).flatMap { [$0.forward, $0.reverse] }
    }
}
