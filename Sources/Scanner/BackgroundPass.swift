import Model
import Significance

/// The first pass of a scan with statistics: reads the inputs once, measures each block's
/// composition, and scores a decoy for every block on the workers (`GenomeBackground`).
///
/// A block's decoy has `decoyFraction` of the windows the scan will score in the block
/// (rounded up or down at random), all scored at step 1 on the scan's strands. Its seed
/// comes from the record's name and the block's number only, so the background is the same
/// for any thread count, chunk size, input form or sharding. Blocks with fewer than
/// `DecoyTallies.smallBlock` scorable bases (short records, the ends of long ones) are
/// pooled by G+C bin, and their decoys come from one chain fitted to the pool.
struct BackgroundPass {
    let scorer: any WindowScorer
    let options: ScoringOptions
    let geometry: WindowGeometry
    static let decoyFraction = 0.2
    /// Called on the calling thread as the pass reads.
    var progress: ((ScanProgress) -> Void)?

    /// Reads `inputs` and builds the background; stdin is copied to `stdinCopy` for the
    /// second pass.
    func run(inputs: [String], stdinCopy: ScratchFile?) throws(ScannerError) -> GenomeBackground {
        let decoys = makeTallies()
        defer { decoys.finishWorkers() }
        var records = 0
        var parts = try gather(into: decoys) { (body) throws(ScannerError) in
            for path in inputs {
                let reader = FastaReader(stream: try ByteStream(path: path, copy: path == "-" ? stdinCopy : nil))
                let before = records
                while let header = try reader.nextRecord() {
                    records += 1
                    try body(nil, header.name, 0..<Int.max, true, [], reader) { reader.progress }
                }
                if records == before { throw .noRecords(path: reader.name) }
            }
        }
        decoys.finishBlocks(into: &parts)
        return decoys.finish(parts)
    }

    /// The parts of the background that the blocks of `fasta` inside `shard` make (whole
    /// blocks: a shard's intervals start at block boundaries and end at one or at the record's end).
    func parts(of fasta: IndexedFasta, shard: ScanRegions) throws(ScannerError) -> BackgroundParts {
        let decoys = makeTallies()
        defer { decoys.finishWorkers() }
        var parts = try gather(into: decoys) { (body) throws(ScannerError) in
            for (number, entry) in fasta.index.entries.enumerated() {
                for segment in shard.segments(of: entry.name) ?? [] {
                    // The 4-mers that span the block boundary where the shard starts count in its
                    // first block, as in a pass over the whole record.
                    let before = try fasta.bases(of: entry.name, from: max(segment.lowerBound - 3, 0), to: segment.lowerBound)
                    let record = IndexedRecord(fasta, entry)
                    var scratch: [UInt8] = []
                    _ = try record.skipBases(segment.lowerBound, into: &scratch)
                    let end = min(segment.upperBound, entry.length)
                    try body(number, entry.name, segment.lowerBound..<end, end == entry.length, before, record) { (0, nil) }
                }
            }
        }
        decoys.finishBlocks(into: &parts)
        return parts
    }

    private func makeTallies() -> DecoyTallies {
        DecoyTallies(scorer: scorer, strands: options.strands, geometry: geometry, threads: options.threads)
    }

    /// Reads the records `records` calls its body with (the record's number in the genome
    /// without its empty records, or nil for the next, its name, the
    /// part of it to read, from its start or a block boundary to a block boundary or its
    /// end, whether that is its end, the up to 3 bases before the part, where to read it
    /// from there, and how far the input has come) and hands each block's decoy to `decoys`.
    private func gather(into decoys: DecoyTallies,
                        _ records: ((Int?, String, Range<Int>, Bool, [UInt8], any BaseReader, () -> (done: Int, total: Int?)) throws(ScannerError) -> Void) throws(ScannerError) -> Void)
        throws(ScannerError) -> BackgroundParts {
        var parts = BackgroundParts()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var bases = 0
        let windowsPerBase = BackgroundPass.decoyFraction / Double(geometry.step)
        let blockLength = GenomeBackground.blockLength
        try records { (number, name, range, reachesEnd, before, reader, input) throws(ScannerError) in
            var composition = BlockComposition(skipSoftMasked: options.skipSoftMasked)
            before.withUnsafeBufferPointer { composition.prime($0) }
            var blocks = RecordBlocks(index: number ?? parts.records.count, name: name, firstBlock: range.lowerBound / blockLength)
            let seed = BackgroundPass.seed(record: name)
            func close() {
                let number = blocks.firstBlock + blocks.bins.count
                blocks.bins.append(UInt8(composition.gcBin))
                decoys.add(composition.decoy(seed: seed ^ UInt64(number) &* 0xD1B5_4A32_D192_ED03, windowsPerBase: windowsPerBase))
                composition.reset()
            }
            var position = range.lowerBound
            while position < range.upperBound {
                let want = min(buffer.count, range.upperBound - position)
                let n = try buffer.withUnsafeMutableBufferPointer { (out) throws(ScannerError) -> Int in
                    try reader.readBases(into: UnsafeMutableBufferPointer(rebasing: out[..<want]))
                }
                if n == 0 { break }
                bases += n
                if let progress {
                    let read = input()
                    progress(ScanProgress(bases: bases, inputDone: read.done, inputTotal: read.total, isBackground: true))
                }
                var done = 0
                while done < n {
                    let take = min(blockLength - position % blockLength, n - done)
                    buffer.withUnsafeBufferPointer { composition.add(UnsafeBufferPointer(rebasing: $0[done..<(done + take)])) }
                    done += take
                    position += take
                    if position % blockLength == 0 { close() }
                }
            }
            // An empty record has no blocks, and the background leaves it out.
            if reachesEnd && position == 0 { return }
            if reachesEnd {
                // A last, partial block.
                if position % blockLength != 0 { close() }
                blocks.recordLength = position
            }
            parts.records.append(blocks)
        }
        return parts
    }

    /// The seed of a record's decoys: FNV-1a of its name.
    static func seed(record: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in record.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return hash
    }
}

/// The background pass's decoys: hands blocks to the workers in jobs, and adds up the
/// scored decoys by G+C bin into `BackgroundParts`; then pools the small blocks and the G+C
/// bins into classes (`finish`), for one scan's parts or the sum of several shards'.
final class DecoyTallies {
    /// Blocks with fewer scorable bases than this are pooled.
    static let smallBlock = 4096
    /// Decoy windows a job of drawn decoys (small blocks', top-ups) scores at most.
    static let windowsPerJob = 1 << 14

    private let workers: OrderedWorkers<[DecoyBlock], [Int: DecoyTally]>
    private let strandCount: Int
    private var tallies = [DecoyTally](repeating: DecoyTally(), count: GenomeBackground.gcBins)
    /// What the blocks added besides their decoys' scores.
    private var parts = BackgroundParts()
    private var pending: [DecoyBlock] = []

    private let windowsPerBase: Double

    init(scorer: any WindowScorer, strands: StrandChoice, geometry: WindowGeometry, threads: Int) {
        workers = OrderedWorkers(threads: threads, capacity: 4 * max(threads, 1)) { blocks in
            DecoyBlock.score(blocks, scorer: scorer, strands: strands, windowLength: geometry.length)
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
        submit()
        while workers.inFlight > 0 { collect(waiting: true) }
        let records = result.records
        result = parts
        result.tallies = tallies
        result.records = records
        tallies = [DecoyTally](repeating: DecoyTally(), count: GenomeBackground.gcBins)
        parts = BackgroundParts()
    }

    private func enqueue(_ block: DecoyBlock) {
        guard block.windows > 0 else { return }
        // Each block is a job of its own: a decoy window's score (where the fast kernel's
        // value is kept) may depend on where it lies in the stretch it is scored in, so a
        // block's decoys are scored alone, the same whichever blocks a pass or shard reads.
        pending.append(block)
        submit()
    }

    private func submit() {
        guard !pending.isEmpty else { return }
        if workers.inFlight >= workers.capacity { collect(waiting: true) }
        workers.submit(pending)
        pending = []
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

    /// `windows` decoy windows from the chain of `tetramers`, scored and tallied (under
    /// `gcBin`), in jobs seeded by `seed` and the job's number.
    private func drawn(windows: Int, tetramers: TetramerCounts, gcBin: Int, seed: UInt64) -> DecoyTally {
        var left = windows, part: UInt64 = 0
        while left > 0 {
            let count = min(left, DecoyTallies.windowsPerJob)
            enqueue(DecoyBlock(seed: seed ^ part &* 0x9E37_79B9_7F4A_7C15, tetramers: tetramers, windows: count, gcBin: gcBin))
            left -= count
            part += 1
        }
        submit()
        while workers.inFlight > 0 { collect(waiting: true) }
        let tally = tallies[gcBin]
        tallies[gcBin] = DecoyTally()
        return tally
    }

    /// Pools what the blocks gathered (one pass's parts, or the sum of several shards'):
    /// the small blocks' decoys are drawn from their bin's chain,
    /// the G+C bins are pooled into classes of at least `GenomeBackground.classDecoys` decoy
    /// windows, a class short of `GenomeBackground.minimumDecoys` (or of 10 decoys a test,
    /// when that is fewer) is topped up from its pooled chain, and each class's p-values
    /// are fitted. The result depends on the sum of the parts only.
    func finish(_ parts: BackgroundParts) -> GenomeBackground {
        var binTallies = parts.tallies
        for bin in 0..<GenomeBackground.gcBins where parts.smallScorable[bin] > 0 {
            let windows = Int((Double(parts.smallScorable[bin]) * windowsPerBase).rounded())
            binTallies[bin].add(drawn(windows: windows, tetramers: parts.small[bin], gcBin: bin,
                                      seed: BackgroundPass.seed(record: "small blocks") ^ UInt64(bin) << 40))
        }
        let runs = NullClassRuns(windows: binTallies.map { Int($0.windows) }, present: parts.hasBlocks)
        var classes: [GenomeBackground.NullClass] = []
        for (number, run) in runs.runs.enumerated() {
            var tally = DecoyTally(), counts = TetramerCounts(), scorable = 0
            for bin in run {
                tally.add(binTallies[bin])
                counts.add(parts.pooled[bin])
                scorable += parts.scorable[bin]
            }
            let tests = Double(scorable) * windowsPerBase * Double(strandCount) / BackgroundPass.decoyFraction
            let wanted = min(GenomeBackground.minimumDecoys, max(GenomeBackground.classDecoys, Int(10 * tests)))
            let missing = wanted - Int(tally.windows)
            if missing > 0 {
                tally.add(drawn(windows: (missing + strandCount - 1) / strandCount, tetramers: counts, gcBin: run[0],
                                seed: BackgroundPass.seed(record: "top-up") ^ UInt64(number) << 40))
            }
            let low = 2 * (run.first ?? 0), high = 2 * ((run.last ?? 0) + 1)
            classes.append(GenomeBackground.NullClass(gcPercent: low...high, tally: tally))
        }
        return GenomeBackground(classes: classes, classOfBin: runs.classOfBin, binTallies: binTallies,
                                blockBins: parts.records.map(\.bins), recordNames: parts.records.map(\.name),
                                recordLengths: parts.records.map { $0.recordLength ?? 0 })
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
