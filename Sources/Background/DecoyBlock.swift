import Model
import Scoring
import Significance

/// One block's decoy, to be drawn and scored on a worker.
struct DecoyBlock: Sendable {
    let seed: UInt64
    let tetramers: TetramerCounts
    /// Decoy windows to score (at step 1); the decoy is this many bases plus window − 1.
    let windows: Int
    let gcBin: Int
    /// The block's scorable bases (for pooling).
    var scorable = 0

    /// Draws and scores the blocks' decoys and tallies their windows by G+C bin. The decoys
    /// are laid end to end with one N between them, and scored in one go.
    static func score(_ blocks: [DecoyBlock], scorer: any WindowScorer, strands: StrandChoice,
                      windowLength: Int) -> [Int: DecoyTally] {
        let letters: [UInt8] = Array("ACGT".utf8)
        var bases: [UInt8] = [], ends: [Int] = []
        for block in blocks {
            var codes = [UInt8](repeating: 0, count: block.windows + windowLength - 1)
            var random = SplitMix64(seed: block.seed)
            codes.withUnsafeMutableBufferPointer { DecoyChain(counts: block.tetramers).sample(into: $0, random: &random) }
            bases.append(contentsOf: codes.lazy.map { letters[Int($0)] })
            ends.append(bases.count)
            bases.append(UInt8(ascii: "N"))
        }
        let stretch = bases.withUnsafeBufferPointer { bases in
            ScoredStretch(bases: bases, geometry: WindowGeometry(length: windowLength, step: 1), firstWindow: 0, scorer: scorer,
                          strands: strands, skipSoftMasked: false, precision: DecoyBlock.precision)
        }
        var tallies: [Int: DecoyTally] = [:]
        var w = 0
        for (block, end) in zip(blocks, ends) {
            var tally = tallies[block.gcBin] ?? DecoyTally()
            // The block's windows start before end − window + 1; those after cross the N.
            while w + windowLength <= end {
                if strands.scoresForward { tally.add(probability: stretch.forward[w]) }
                if strands.scoresReverse { tally.add(probability: stretch.reverse[w]) }
                w += 1
            }
            w = end + 1
            tallies[block.gcBin] = tally
        }
        return tallies
    }

    /// Decoy windows below this probability may get the fast kernel's value (within 1e-5):
    /// their p-values are near 1 whichever value they get.
    static let precision = ScoringPrecision(threshold: 0.001, approximateBelow: true)
}
