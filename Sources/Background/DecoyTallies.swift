import Model
import Scoring
import Significance

/// The background pass's decoys: hands blocks to the workers in jobs, and adds up the
/// scored decoys by G+C bin into `BackgroundParts`; then pools the small blocks and the G+C
/// bins into classes (`finish`), for one scan's parts or the sum of several shards'.
final class DecoyTallies {
    /// Blocks with fewer scorable bases than this are pooled.
    static let smallBlock = 4096
    /// Decoy windows a job of drawn decoys (small blocks', top-ups) scores at most.
    static let windowsPerJob = 1 << 14

    private let workers: OrderedWorkers<DecoyBlock, BlockDecoys>
    private let strandCount: Int
    private var tallies = [DecoyCounts](repeating: DecoyCounts(), count: GenomeBackground.gcBins)
    /// What the blocks added besides their decoys' scores.
    private var parts = BackgroundParts()
    /// When set, the blocks' decoys wait in `handedOff` for the caller's own workers to
    /// score them (`add(scored:)`) instead of going to these workers.
    var handsOff = false
    private var handedOff: [DecoyBlock] = []

    private let windowsPerBase: Double

    init(scorer: any WindowScorer, strands: StrandChoice, geometry: WindowGeometry, threads: Int) {
        workers = OrderedWorkers(threads: threads, capacity: 4 * max(threads, 1)) { block in
            block.score(scorer: scorer, strands: strands, geometry: geometry)
        }
        strandCount = strands == .both ? 2 : 1
        windowsPerBase = BackgroundPass.decoyFraction / Double(geometry.step)
    }

    func finishWorkers() { workers.finish() }

    func add(_ block: DecoyBlock) {
        parts.hasBlocks[block.gcBin] = true
        parts.pooled[block.gcBin].add(block.tetramers)
        parts.scorable[block.gcBin] += block.scorable
        if block.scorable < DecoyTallies.smallBlock {
            parts.small[block.gcBin].add(block.tetramers)
            parts.smallScorable[block.gcBin] += block.scorable
            return
        }
        enqueue(block)
    }

    /// Scores the blocks still pending and moves what the blocks gave into `into` (whose
    /// records are kept).
    func finishBlocks(into result: inout BackgroundParts) {
        handsOff = false
        for block in takeHandedOff() { enqueue(block) }
        while workers.inFlight > 0 { collect(waiting: true) }
        let records = result.records
        result = parts
        result.tallies = tallies
        result.records = records
        tallies = [DecoyCounts](repeating: DecoyCounts(), count: GenomeBackground.gcBins)
        parts = BackgroundParts()
    }

    /// The blocks handed off since the last call.
    func takeHandedOff() -> [DecoyBlock] {
        defer { handedOff = [] }
        return handedOff
    }

    /// Adds decoys the caller's workers scored (`DecoyScoring`).
    func add(scored: [BlockDecoys]) {
        for block in scored { tallies[block.gcBin].add(block) }
    }

    private func enqueue(_ block: DecoyBlock) {
        guard block.windows > 0 else { return }
        if handsOff {
            handedOff.append(block)
            return
        }
        // Each block is a job of its own: a decoy window's score (where the fast kernel's
        // value is kept) may depend on where it lies in the stretch it is scored in, so a
        // block's decoys are scored alone, the same whichever blocks a pass or shard reads.
        if workers.inFlight >= workers.capacity { collect(waiting: true) }
        workers.submit(block)
        collect(waiting: false)
    }

    /// Adds the finished jobs' tallies; with `waiting`, blocks for the first.
    private func collect(waiting: Bool) {
        var wait = waiting
        while let block = workers.next(waiting: wait) {
            tallies[block.gcBin].add(block)
            wait = false
        }
    }

    /// Decoys drawn from chains rather than from blocks (the small blocks', top-ups).
    struct Draw {
        /// Decoy windows, from the chain of `tetramers`, tallied under `gcBin`, in jobs
        /// seeded by `seed` and the job's number.
        let windows: Int, tetramers: TetramerCounts, gcBin: Int, seed: UInt64
    }

    /// Scores `draws` on the workers, all of them at once, and returns what each G+C bin's
    /// draws gave.
    private func drawn(_ draws: [Draw]) -> [Int: DecoyCounts] {
        for draw in draws {
            var left = draw.windows, part: UInt64 = 0
            while left > 0 {
                let count = min(left, DecoyTallies.windowsPerJob)
                enqueue(DecoyBlock(seed: draw.seed ^ part &* 0x9E37_79B9_7F4A_7C15, tetramers: draw.tetramers, windows: count,
                                   gcBin: draw.gcBin))
                left -= count
                part += 1
            }
        }
        while workers.inFlight > 0 { collect(waiting: true) }
        var result: [Int: DecoyCounts] = [:]
        for draw in draws where result[draw.gcBin] == nil {
            result[draw.gcBin] = tallies[draw.gcBin]
            tallies[draw.gcBin] = DecoyCounts()
        }
        return result
    }

    /// Pools what the blocks gathered (one pass's parts, or the sum of several shards'):
    /// the small blocks' decoys are drawn from their bin's chain,
    /// the G+C bins are pooled into classes of at least `GenomeBackground.classDecoys` decoy
    /// windows, a class short of `GenomeBackground.minimumDecoys` (or of a decoy for every
    /// 2 tests, when that is fewer, but at least `classDecoys`) is topped up from its bins'
    /// pooled chains, and each class's p-values are fitted. The result depends on the sum of the
    /// parts only.
    func finish(_ parts: BackgroundParts) -> GenomeBackground {
        var binTallies = parts.tallies
        let small = (0..<GenomeBackground.gcBins).filter { parts.smallScorable[$0] > 0 }.map { bin in
            Draw(windows: Int((Double(parts.smallScorable[bin]) * windowsPerBase).rounded()), tetramers: parts.small[bin], gcBin: bin,
                 seed: BackgroundPass.seed(record: "small blocks") ^ UInt64(bin) << 40)
        }
        for (bin, counts) in drawn(small) { binTallies[bin].add(counts) }
        let runs = NullClassRuns(windows: binTallies.map { Int($0.windows.windows) }, present: parts.hasBlocks)
        var classes: [GenomeBackground.NullClass] = []
        for (number, run) in runs.runs.enumerated() {
            var tally = DecoyCounts(), counts = TetramerCounts(), scorable = 0
            for bin in run {
                tally.add(binTallies[bin])
                counts.add(parts.pooled[bin])
                scorable += parts.scorable[bin]
            }
            let tests = Double(scorable) * windowsPerBase * Double(strandCount) / BackgroundPass.decoyFraction
            let wanted = min(GenomeBackground.minimumDecoys, max(GenomeBackground.classDecoys, Int(tests / 2)))
            let missing = wanted - Int(tally.windows.windows)
            if missing > 0 {
                // Bin by bin, each bin's share (by its scorable bases) from the chain fitted to
                // its own blocks, so that the top-up keeps the spread of compositions the
                // class's blocks have (one chain for the class would blend them).
                // A class without scorable bases has one uniform chain.
                let windows = (missing + strandCount - 1) / strandCount
                let seed = BackgroundPass.seed(record: "top-up") ^ UInt64(number) << 40
                var draws = scorable == 0 ? [Draw(windows: windows, tetramers: counts, gcBin: run[0], seed: seed)] : []
                var given = 0, reached = 0
                for bin in run where parts.scorable[bin] > 0 {
                    reached += parts.scorable[bin]
                    let share = Int((Double(windows) * Double(reached) / Double(scorable)).rounded()) - given
                    given += share
                    draws.append(Draw(windows: share, tetramers: parts.pooled[bin], gcBin: bin, seed: seed ^ UInt64(bin) << 32))
                }
                for counts in drawn(draws).values { tally.add(counts) }
            }
            let low = 2 * (run.first ?? 0), high = 2 * ((run.last ?? 0) + 1)
            classes.append(GenomeBackground.NullClass(gcPercent: low...high, decoys: tally))
        }
        return GenomeBackground(classes: classes, classOfBin: runs.classOfBin, binTallies: binTallies,
                                blockBins: parts.records.map(\.bins), recordNames: parts.records.map(\.name),
                                recordLengths: parts.records.map { $0.recordLength ?? 0 })
    }
}
