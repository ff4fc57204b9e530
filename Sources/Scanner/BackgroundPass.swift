import Model
import Significance

/// The first pass of a scan with statistics: reads the inputs once, measures each block's
/// composition, and scores a decoy for every block on the workers (`GenomeBackground`).
///
/// A block's decoy has `decoyFraction` of the windows the scan will score in the block
/// (rounded up or down at random), all scored at step 1 on the scan's strands. Its seed
/// comes from the record's name and the block's number only, so the background is the same
/// for any thread count, chunk size or input form. Blocks with fewer than
/// `DecoyTallies.smallBlock` scorable bases (short records, the ends of long ones) are
/// pooled by G+C bin, and their decoys come from one chain fitted to the pool.
struct BackgroundPass {
    let scorer: any WindowScorer
    let options: ScoringOptions
    let geometry: WindowGeometry
    var decoyFraction = 0.2
    /// Called on the calling thread as the pass reads.
    var progress: ((ScanProgress) -> Void)?

    /// Reads `inputs` and builds the background; stdin is copied to `stdinCopy` for the
    /// second pass.
    func run(inputs: [String], stdinCopy: ScratchFile?) throws(ScannerError) -> GenomeBackground {
        let decoys = DecoyTallies(scorer: scorer, strands: options.strands, windowLength: geometry.length, threads: options.threads,
                                  decoyFraction: decoyFraction)
        defer { decoys.finishWorkers() }
        var blockBins: [[UInt8]] = [], names: [String] = [], bases = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        let windowsPerBase = decoyFraction / Double(geometry.step)
        for path in inputs {
            let reader = FastaReader(stream: try ByteStream(path: path, copy: path == "-" ? stdinCopy : nil))
            let recordsBefore = names.count
            while let header = try reader.nextRecord() {
                var composition = BlockComposition(skipSoftMasked: options.skipSoftMasked)
                var bins: [UInt8] = []
                let seed = BackgroundPass.seed(record: header.name)
                func close() {
                    bins.append(UInt8(composition.gcBin))
                    decoys.add(composition.decoy(seed: seed ^ UInt64(bins.count - 1) &* 0xD1B5_4A32_D192_ED03,
                                                 windowsPerBase: windowsPerBase))
                    composition.reset()
                }
                var position = 0
                while true {
                    let n = try buffer.withUnsafeMutableBufferPointer { (out) throws(ScannerError) -> Int in try reader.readBases(into: out) }
                    if n == 0 { break }
                    bases += n
                    if let progress {
                        let input = reader.progress
                        progress(ScanProgress(bases: bases, inputDone: input.done, inputTotal: input.total, isBackground: true))
                    }
                    var done = 0
                    while done < n {
                        let take = min(GenomeBackground.blockLength - position % GenomeBackground.blockLength, n - done)
                        buffer.withUnsafeBufferPointer { composition.add(UnsafeBufferPointer(rebasing: $0[done..<(done + take)])) }
                        done += take
                        position += take
                        if position % GenomeBackground.blockLength == 0 { close() }
                    }
                }
                if position % GenomeBackground.blockLength != 0 || position == 0 { close() }
                blockBins.append(bins)
                names.append(header.name)
            }
            if names.count == recordsBefore { throw .noRecords(path: reader.name) }
        }
        let classes = decoys.finish()
        return GenomeBackground(classes: classes.classes, classOfBin: classes.classOfBin, binTallies: classes.binTallies,
                                blockBins: blockBins, recordNames: names)
    }

    /// The seed of a record's decoys: FNV-1a of its name.
    static func seed(record: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in record.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return hash
    }
}

/// The background pass's decoys: hands blocks to the workers in jobs, pools the small
/// blocks, and adds up the scored decoys by G+C bin.
final class DecoyTallies {
    /// Blocks with fewer scorable bases than this are pooled.
    static let smallBlock = 4096
    /// Decoy windows a job scores, about.
    static let windowsPerJob = 1 << 16

    private let workers: OrderedWorkers<[DecoyBlock], [Int: DecoyTally]>
    private let strandCount: Int
    private var tallies = [DecoyTally](repeating: DecoyTally(), count: GenomeBackground.gcBins)
    /// Each bin's 4-mers (for the top-up), and the small blocks' 4-mers and decoy windows.
    private var pooled = [TetramerCounts](repeating: TetramerCounts(), count: GenomeBackground.gcBins)
    private var small = [TetramerCounts](repeating: TetramerCounts(), count: GenomeBackground.gcBins)
    private var smallWindows = [Double](repeating: 0, count: GenomeBackground.gcBins)
    /// Each bin's decoy windows before rounding: a fraction of the tests the scan will make.
    private var expectedWindows = [Double](repeating: 0, count: GenomeBackground.gcBins)
    private let decoyFraction: Double
    private var hasBlocks = [Bool](repeating: false, count: GenomeBackground.gcBins)
    private var pending: [DecoyBlock] = []
    private var pendingWindows = 0

    init(scorer: any WindowScorer, strands: StrandChoice, windowLength: Int, threads: Int, decoyFraction: Double) {
        self.decoyFraction = decoyFraction
        workers = OrderedWorkers(threads: threads, capacity: 4 * max(threads, 1)) { blocks in
            DecoyBlock.score(blocks, scorer: scorer, strands: strands, windowLength: windowLength)
        }
        strandCount = strands == .both ? 2 : 1
    }

    func finishWorkers() { workers.finish() }

    func add(_ block: DecoyBlock) {
        hasBlocks[block.gcBin] = true
        pooled[block.gcBin].add(block.tetramers)
        expectedWindows[block.gcBin] += block.exactWindows
        if block.scorable < DecoyTallies.smallBlock {
            small[block.gcBin].add(block.tetramers)
            smallWindows[block.gcBin] += block.exactWindows
            return
        }
        enqueue(block)
    }

    private func enqueue(_ block: DecoyBlock) {
        guard block.windows > 0 else { return }
        pending.append(block)
        pendingWindows += block.windows
        if pendingWindows >= DecoyTallies.windowsPerJob { submit() }
    }

    private func submit() {
        guard !pending.isEmpty else { return }
        if workers.inFlight >= workers.capacity { collect(waiting: true) }
        workers.submit(pending)
        pending = []
        pendingWindows = 0
        collect(waiting: false)
    }

    /// Adds the finished jobs' tallies; with `waiting`, blocks for the first.
    private func collect(waiting: Bool) {
        var wait = waiting
        while let result = workers.next(waiting: wait) {
            for (bin, tally) in result { tallies[bin].add(tally) }
            wait = false
        }
    }

    /// `windows` decoy windows from the chain of `tetramers`, in jobs, seeded by `seed` and
    /// the job's number.
    private func draw(windows: Int, tetramers: TetramerCounts, gcBin: Int, seed: UInt64) {
        var left = windows, part: UInt64 = 0
        while left > 0 {
            let count = min(left, DecoyTallies.windowsPerJob / 4)
            enqueue(DecoyBlock(seed: seed ^ part &* 0x9E37_79B9_7F4A_7C15, tetramers: tetramers, windows: count, gcBin: gcBin))
            left -= count
            part += 1
        }
    }

    /// Scores what is left, pools the G+C bins into classes of at least
    /// `GenomeBackground.classDecoys` decoy windows, tops up a class short of
    /// `GenomeBackground.minimumDecoys` (or of 10 decoys a test, when that is fewer) from its
    /// pooled chain, and fits each class's p-values.
    func finish() -> (classes: [GenomeBackground.NullClass], classOfBin: [UInt8], binTallies: [DecoyTally]) {
        for bin in 0..<GenomeBackground.gcBins where smallWindows[bin] > 0 {
            draw(windows: Int(smallWindows[bin].rounded()), tetramers: small[bin], gcBin: bin,
                 seed: BackgroundPass.seed(record: "small blocks") ^ UInt64(bin) << 40)
        }
        submit()
        while workers.inFlight > 0 { collect(waiting: true) }
        let runs = NullClassRuns(windows: tallies.map { Int($0.windows) }, present: hasBlocks)
        var classes: [GenomeBackground.NullClass] = []
        for (number, run) in runs.runs.enumerated() {
            var tally = DecoyTally(), counts = TetramerCounts(), tests = 0.0
            for bin in run {
                tally.add(tallies[bin])
                counts.add(pooled[bin])
                tests += expectedWindows[bin] * Double(strandCount) / decoyFraction
            }
            let wanted = min(GenomeBackground.minimumDecoys, max(GenomeBackground.classDecoys, Int(10 * tests)))
            let missing = wanted - Int(tally.windows)
            if missing > 0 {
                let before = tallies
                tallies = [DecoyTally](repeating: DecoyTally(), count: GenomeBackground.gcBins)
                draw(windows: (missing + strandCount - 1) / strandCount, tetramers: counts, gcBin: run[0],
                     seed: BackgroundPass.seed(record: "top-up") ^ UInt64(number) << 40)
                submit()
                while workers.inFlight > 0 { collect(waiting: true) }
                for extra in tallies { tally.add(extra) }
                tallies = before
            }
            let low = 2 * (run.first ?? 0), high = 2 * ((run.last ?? 0) + 1)
            classes.append(GenomeBackground.NullClass(gcPercent: low...high, decoyWindows: Int(tally.windows), table: PValueTable(tally)))
        }
        return (classes, runs.classOfBin, tallies)
    }
}

/// G+C bins grouped into classes: runs of adjacent bins, lowest G+C first, each closed once
/// it has `GenomeBackground.classDecoys` decoy windows; a last, short run joins the one
/// before. A bin without blocks goes with the nearest run (the lower one on a tie).
struct NullClassRuns {
    private(set) var runs: [[Int]] = []
    private(set) var classOfBin: [UInt8]

    init(windows: [Int], present: [Bool]) {
        var current: [Int] = [], count = 0
        for bin in windows.indices where present[bin] || windows[bin] > 0 {
            current.append(bin)
            count += windows[bin]
            if count >= GenomeBackground.classDecoys {
                runs.append(current)
                current = []
                count = 0
            }
        }
        if !current.isEmpty {
            if runs.isEmpty { runs.append(current) } else { runs[runs.count - 1] += current }
        }
        if runs.isEmpty { runs = [[windows.count / 2]] }
        let runs = runs
        classOfBin = windows.indices.map { bin in
            let distance = runs.map { run in run.map { abs($0 - bin) }.min() ?? .max }
            return UInt8(distance.indices.min { distance[$0] < distance[$1] } ?? 0)
        }
    }
}
