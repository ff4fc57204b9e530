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

    /// Draws and scores the block's decoy and tallies its windows and clusters, the
    /// clusters counted as a scan at `geometry`'s step merges windows. The decoy is scored at
    /// step 1, by its windows' logits (`ScoringPrecision.logits`).
    func score(scorer: any WindowScorer, strands: StrandChoice, geometry: WindowGeometry) -> BlockDecoys {
        let windowLength = geometry.length
        var codes = [UInt8](repeating: 0, count: windows + windowLength - 1)
        var random = SplitMix64(seed: seed)
        codes.withUnsafeMutableBufferPointer { DecoyChain(counts: tetramers).sample(into: $0, random: &random) }
        let stretch = codes.withUnsafeBufferPointer { codes in
            ScoredStretch(codes: codes, geometry: WindowGeometry(length: windowLength, step: 1), scorer: scorer, strands: strands,
                          precision: DecoyBlock.precision)
        }
        // Dense tallies for the job alone (freed on the worker that made them), handed back
        // as the bins they reached.
        var counts = DecoyCounts()
        var bins: [Int32] = [], reached: [Int32] = []
        for (chosen, track) in [(strands.scoresForward, stretch.forward), (strands.scoresReverse, stretch.reverse)] where chosen {
            bins.removeAll(keepingCapacity: true)
            for logit in track { bins.append(Int32(ScoreBins.bin(logit: Double(logit)))) }
            counts.add(bins: bins, geometry: geometry)
            reached += bins
        }
        return BlockDecoys(gcBin: gcBin, taking: &counts, reached: reached)
    }

    /// Decoy windows below this probability may get the fast kernel's logit (within
    /// `FastPath.logitError` of the reference's): their p-values are near 1 whichever they get.
    static let precision = ScoringPrecision(threshold: 0.001, logits: true)
}

/// One block's decoy windows and clusters, by the score bins they reached: a block's few
/// thousand windows reach a few hundred of the 9,216 bins, so workers hand these back
/// instead of whole tallies.
package struct BlockDecoys: Sendable {
    let gcBin: Int
    /// Decoy windows scored.
    let windows: UInt64
    let bins: [Int32]
    let windowCounts: [UInt64]
    let clusterCounts: [Int64]

    /// The nonzero counts of `counts` at the bins in `reached` (every bin it counted at),
    /// which are left zero.
    init(gcBin: Int, taking counts: inout DecoyCounts, reached: [Int32]) {
        self.gcBin = gcBin
        windows = counts.windows.windows
        var bins: [Int32] = [], windowCounts: [UInt64] = [], clusterCounts: [Int64] = []
        for bin in reached {
            let k = Int(bin), w = counts.windows.counts[k], c = counts.clusters.counts[k]
            guard w != 0 || c != 0 else { continue }
            bins.append(bin)
            windowCounts.append(w)
            clusterCounts.append(c)
            counts.windows.set(bin: k, count: 0)
            counts.clusters.set(bin: k, count: 0)
        }
        (self.bins, self.windowCounts, self.clusterCounts) = (bins, windowCounts, clusterCounts)
    }
}

/// What a scan's own workers need to score the decoys of the blocks it reads
/// (`BackgroundDuringScan`).
package struct DecoyScoring: Sendable {
    let scorer: any WindowScorer
    let strands: StrandChoice
    let geometry: WindowGeometry

    /// Each block's decoy scored alone, as `DecoyTallies` scores them.
    package func score(_ blocks: [DecoyBlock]) -> [BlockDecoys] {
        blocks.map { $0.score(scorer: scorer, strands: strands, geometry: geometry) }
    }
}

/// Decoy windows and their clusters, by score bin.
package struct DecoyCounts: Sendable, Equatable {
    package var windows = DecoyTally()
    package var clusters = ClusterTally()

    /// Adds one strand's run of consecutive decoy windows (score bins, at step 1).
    mutating func add(bins: [Int32], geometry: WindowGeometry) {
        bins.withUnsafeBufferPointer { bins in
            windows.add(bins: bins)
            clusters.add(bins: bins, step: geometry.step, lookback: DecoyCounts.lookback(geometry))
        }
    }

    mutating func add(_ other: DecoyCounts) {
        windows.add(other.windows)
        clusters.add(other.clusters)
    }

    mutating func add(_ block: BlockDecoys) {
        for (i, bin) in block.bins.enumerated() {
            let k = Int(bin)
            windows.set(bin: k, count: windows.counts[k] &+ block.windowCounts[i])
            clusters.set(bin: k, count: clusters.counts[k] &+ block.clusterCounts[i])
        }
        clusters.set(windows: clusters.windows &+ block.windows)
    }

    /// The windows before a window that a region may merge it with: a region takes in the
    /// next passing window whose start lies at most a window's length past the last one's
    /// (`RegionWriter`), so windows up to `length` apart, in steps of `step`.
    static func lookback(_ geometry: WindowGeometry) -> Int { geometry.length / geometry.step }
}
