import Model
import Significance

/// What the background pass measures of one block: its scorable bases (A, C, G and T, and
/// uppercase only when soft-masked bases are skipped), their G+C, and their 4-mers.
struct BlockComposition {
    let skipSoftMasked: Bool
    private(set) var tetramers = TetramerCounts()
    private(set) var scorable = 0
    private(set) var gc = 0
    private var counts = [UInt32](repeating: 0, count: 256)
    /// The last three bases' codes and how many scorable bases run up to here.
    private var context = 0
    private var run = 0

    init(skipSoftMasked: Bool) { self.skipSoftMasked = skipSoftMasked }

    /// Adds the next bases of the record; 4-mers may span the blocks' boundaries.
    mutating func add(_ bases: UnsafeBufferPointer<UInt8>) {
        let mask: UInt8 = skipSoftMasked ? 0x20 : 0
        var (context, run, scorable, gc) = (self.context, self.run, self.scorable, self.gc)
        counts.withUnsafeMutableBufferPointer { counts in
            Nucleotide.code.withUnsafeBufferPointer { table in
                for byte in bases {
                    let code = Int(table[Int(byte)])
                    // A letter's 0x20 bit marks lowercase (the reader passes letters only).
                    if code > 3 || byte & mask != 0 {
                        run = 0
                        continue
                    }
                    context = ((context << 2) | code) & 255
                    run += 1
                    scorable += 1
                    gc += (code == 1 || code == 2) ? 1 : 0
                    if run >= 4 { counts[context] &+= 1 }
                }
            }
        }
        (self.context, self.run, self.scorable, self.gc) = (context, run, scorable, gc)
    }

    /// Takes the bases just before the first block read (a shard's start) as the context of
    /// its first 4-mers, without counting them.
    mutating func prime(_ bases: UnsafeBufferPointer<UInt8>) {
        let mask: UInt8 = skipSoftMasked ? 0x20 : 0
        for byte in bases {
            let code = Int(Nucleotide.code[Int(byte)])
            if code > 3 || byte & mask != 0 {
                run = 0
            } else {
                context = ((context << 2) | code) & 255
                run += 1
            }
        }
    }

    /// The block's G+C bin; a block without scorable bases goes in the middle one.
    var gcBin: Int {
        guard scorable > 0 else { return GenomeBackground.gcBins / 2 }
        return min(GenomeBackground.gcBins * gc / scorable, GenomeBackground.gcBins - 1)
    }

    /// The block's decoy: `windowsPerBase` decoy windows per scorable base, rounded up or
    /// down at random (so that blocks get the fraction on average).
    mutating func decoy(seed: UInt64, windowsPerBase: Double) -> DecoyBlock {
        settle()
        var random = SplitMix64(seed: seed)
        let exact = Double(scorable) * windowsPerBase
        let windows = Int(exact) + (random.nextUnit() < exact - exact.rounded(.down) ? 1 : 0)
        return DecoyBlock(seed: random.next(), tetramers: tetramers, windows: windows, gcBin: gcBin, scorable: scorable)
    }

    /// Starts the next block; the 4-mer context carries over.
    mutating func reset() {
        settle()
        tetramers = TetramerCounts()
        scorable = 0
        gc = 0
    }

    /// Moves the counts gathered so far into `tetramers`.
    private mutating func settle() {
        counts.withUnsafeBufferPointer { tetramers.add($0) }
        for w in 0..<256 { counts[w] = 0 }
    }
}

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
