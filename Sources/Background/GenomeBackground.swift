import Significance

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The background a scan's p-values are measured against: decoy DNA drawn, block by block,
/// from order-3 Markov chains fitted to the input itself, and scored by the same model.
///
/// Each record is cut into blocks of `blockLength` bases from its start. A block's decoy
/// keeps the block's base, dinucleotide and trinucleotide composition, so the null follows
/// the genome's composition where it changes (isochores, GC-rich and AT-rich records). Blocks
/// are pooled by G+C content into classes of at least `classDecoys` decoy windows, a class
/// with fewer than `minimumDecoys` gets more from chains fitted to each of its G+C bins' blocks
/// (up to a decoy for every 2 of its tests, so that a small input's statistics cost a
/// fraction of its scan), and a window's p-value comes from the class of the block its
/// start lies in.
public struct GenomeBackground: Sendable {
    public static let blockLength = 1 << 16
    /// G+C bins of 2 %.
    public static let gcBins = 50
    public static let classDecoys = 100_000
    public static let minimumDecoys = 1_000_000

    /// One class of blocks: a run of G+C bins and its decoys.
    public struct NullClass: Sendable {
        /// The G+C range, in percent: lowest bin's lower edge to highest bin's upper edge.
        public let gcPercent: ClosedRange<Int>
        /// Its decoy windows and their clusters, and the p-values fitted to each: a window's
        /// (`table`) and a merged region's best window's (`clusterTable`).
        package let decoys: DecoyCounts
        public let table: PValueTable
        public let clusterTable: PValueTable

        init(gcPercent: ClosedRange<Int>, decoys: DecoyCounts) {
            self.gcPercent = gcPercent
            self.decoys = decoys
            table = PValueTable(decoys.windows)
            clusterTable = decoys.clusters.table
        }

        public var decoyWindows: Int { Int(decoys.windows.windows) }
    }

    public let classes: [NullClass]
    /// Each G+C bin's class, and the decoys its own blocks gave (before any top-up).
    public let classOfBin: [UInt8]
    package let binTallies: [DecoyCounts]
    /// Each record's blocks, as G+C bins.
    let blockBins: [[UInt8]]
    /// The records' names and lengths, in input order.
    package let recordNames: [String]
    let recordLengths: [Int]

    /// The p-value of a window of record `recordIndex` (its number in the background, which
    /// leaves out empty records) starting at `start`.
    @inline(__always)
    package func pValue(recordIndex: Int, start: Int, probability: Float) -> Double {
        nullClass(recordIndex: recordIndex, start: start).table.pValue(logit: ScoreBins.logit(probability))
    }

    /// The null class of the block a window of record `recordIndex` starting at `start` lies in.
    @inline(__always)
    package func nullClass(recordIndex: Int, start: Int) -> NullClass {
        classes[Int(classOfBin[gcBin(recordIndex: recordIndex, start: start)])]
    }

    /// The G+C bin of the block that a window of record `recordIndex` starting at `start` lies in.
    @inline(__always)
    package func gcBin(recordIndex: Int, start: Int) -> Int {
        guard blockBins.indices.contains(recordIndex) else { return GenomeBackground.gcBins / 2 }
        let blocks = blockBins[recordIndex]
        let block = min(start / GenomeBackground.blockLength, blocks.count - 1)
        return block >= 0 ? Int(blocks[block]) : GenomeBackground.gcBins / 2
    }

    /// A probability below which no window of any class has a p-value at most `p`.
    func lowestProbability(passing p: Double) -> Float {
        let logit = classes.map { $0.table.lowestLogit(passing: p) }.min() ?? 0
        guard logit.isFinite else { return logit > 0 ? 1 : 0 }
        // One bin lower, to stay clear of rounding in the logit.
        let probability = Float(1 / (1 + exp(-(logit - 1 / Double(ScoreBins.perLogit)))))
        return max(probability.nextDown, 0)
    }

    public var decoyWindows: Int { classes.reduce(0) { $0 + $1.decoyWindows } }
}
