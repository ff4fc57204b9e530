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

    /// Adds the next bases of the record; 4-mers may span the blocks' boundaries. Wrapping
    /// arithmetic and a table that folds the soft-mask test in keep the loop's state in
    /// registers (it runs on the thread that reads the input).
    mutating func add(_ bases: UnsafeBufferPointer<UInt8>) {
        var (context, run, scorable, gc) = (self.context, self.run, self.scorable, self.gc)
        let codes = skipSoftMasked ? BlockComposition.uppercaseCodes : Nucleotide.code
        counts.withUnsafeMutableBufferPointer { counts in
            codes.withUnsafeBufferPointer { table in
                for byte in bases {
                    let code = Int(table[Int(byte)])
                    if code > 3 {
                        run = 0
                        continue
                    }
                    context = ((context &<< 2) | code) & 255
                    run &+= 1
                    scorable &+= 1
                    gc &+= UInt(bitPattern: code &- 1) < 2 ? 1 : 0  // C (1) and G (2)
                    if run >= 4 { counts[context] &+= 1 }
                }
            }
        }
        (self.context, self.run, self.scorable, self.gc) = (context, run, scorable, gc)
    }

    /// `Nucleotide.code` with lowercase letters (soft-masked bases; the reader passes letters
    /// only, and 0x20 marks lowercase) unscorable too.
    private static let uppercaseCodes: [UInt8] = (0..<256).map { $0 & 0x20 != 0 ? 4 : Nucleotide.code[$0] }

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
