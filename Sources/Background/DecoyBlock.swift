import Model
import Scoring
import Significance

/// One block's decoy, to be drawn and scored on a worker.
package struct DecoyBlock: Sendable {
    let seed: UInt64
    let tetramers: TetramerCounts
    /// Decoy windows to score (at step 1); the decoy is this many bases plus window − 1.
    let windows: Int
    let gcBin: Int
    /// The block's scorable bases (for pooling).
    var scorable = 0

    /// Draws and scores the blocks' decoys and tallies their windows and clusters by G+C
    /// bin. The decoys are laid end to end with one N between them, and scored in one go at
    /// step 1; the clusters are counted as a scan at `geometry`'s step merges windows.
    static func score(_ blocks: [DecoyBlock], scorer: any WindowScorer, strands: StrandChoice,
                      geometry: WindowGeometry) -> [Int: DecoyCounts] {
        let windowLength = geometry.length
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
        var tallies: [Int: DecoyCounts] = [:]
        var bins: [Int32] = []
        var w = 0
        for (block, end) in zip(blocks, ends) {
            var counts = tallies[block.gcBin] ?? DecoyCounts()
            // The block's windows start before end − window + 1; those after cross the N.
            let windows = w..<max(w, end - windowLength + 1)
            for (chosen, track) in [(strands.scoresForward, stretch.forward), (strands.scoresReverse, stretch.reverse)] where chosen {
                bins.removeAll(keepingCapacity: true)
                for i in windows { bins.append(Int32(ScoreBins.bin(logit: ScoreBins.logit(track[i])))) }
                counts.add(bins: bins, geometry: geometry)
            }
            w = end + 1
            tallies[block.gcBin] = counts
        }
        return tallies
    }

    /// Decoy windows below this probability may get the fast kernel's value (within 1e-5):
    /// their p-values are near 1 whichever value they get.
    static let precision = ScoringPrecision(threshold: 0.001, approximateBelow: true)
}

/// What a scan's own workers need to score the decoys of the blocks it reads
/// (`BackgroundDuringScan`).
package struct DecoyScoring: Sendable {
    let scorer: any WindowScorer
    let strands: StrandChoice
    let geometry: WindowGeometry

    /// Each block's decoy scored alone (as `DecoyTallies` scores them), tallied by G+C bin.
    package func score(_ blocks: [DecoyBlock]) -> [[Int: DecoyCounts]] {
        blocks.map { DecoyBlock.score([$0], scorer: scorer, strands: strands, geometry: geometry) }
    }
}

/// Decoy windows and their clusters, by score bin.
package struct DecoyCounts: Sendable, Equatable {
    package var windows = DecoyTally()
    package var clusters = ClusterTally()

    /// Adds one strand's run of consecutive decoy windows (score bins, at step 1).
    mutating func add(bins: [Int32], geometry: WindowGeometry) {
        for bin in bins { windows.add(bin: Int(bin)) }
        bins.withUnsafeBufferPointer { clusters.add(bins: $0, step: geometry.step, lookback: DecoyCounts.lookback(geometry)) }
    }

    mutating func add(_ other: DecoyCounts) {
        windows.add(other.windows)
        clusters.add(other.clusters)
    }

    /// The windows before a window that a region may merge it with: a region takes in the
    /// next passing window whose start lies at most a window's length past the last one's
    /// (`RegionWriter`), so windows up to `length` apart, in steps of `step`.
    static func lookback(_ geometry: WindowGeometry) -> Int { geometry.length / geometry.step }
}
