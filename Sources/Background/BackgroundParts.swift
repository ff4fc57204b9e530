import Significance

/// One record's blocks as a background pass read them: its number in the genome, its
/// name, the number of its first block read, each block's G+C bin, and its length once
/// its end was read.
struct RecordBlocks: Sendable, Equatable {
    let index: Int
    let name: String
    let firstBlock: Int
    var bins: [UInt8] = []
    var recordLength: Int?

    init(index: Int, name: String, firstBlock: Int, bins: [UInt8] = [], recordLength: Int? = nil) {
        (self.index, self.name, self.firstBlock, self.bins, self.recordLength) = (index, name, firstBlock, bins, recordLength)
    }
}

/// What the blocks of a background pass give before the G+C bins are pooled into classes
/// (`DecoyTallies.finish`): per bin, the decoys' scores and clusters and the composition of the blocks,
/// all counts, so that the parts of a genome's shards add up to exactly the parts of the
/// whole genome in any order.
struct BackgroundParts: Sendable, Equatable {
    static let bins = GenomeBackground.gcBins
    var tallies = [DecoyCounts](repeating: DecoyCounts(), count: bins)
    /// Every block's 4-mers (for a class's top-up), and the small blocks' own.
    var pooled = [TetramerCounts](repeating: TetramerCounts(), count: bins)
    var small = [TetramerCounts](repeating: TetramerCounts(), count: bins)
    /// Scorable bases of every block (the tests a class will have) and of the small blocks.
    var scorable = [Int](repeating: 0, count: bins)
    var smallScorable = [Int](repeating: 0, count: bins)
    var hasBlocks = [Bool](repeating: false, count: bins)
    /// The records read, in genome order.
    var records: [RecordBlocks] = []

    /// Adds the parts of the next shard: its records continue these (a record cut between
    /// the shards goes on from the block where this part left it).
    mutating func add(_ next: BackgroundParts) -> String? {
        for bin in 0..<BackgroundParts.bins {
            tallies[bin].add(next.tallies[bin])
            pooled[bin].add(next.pooled[bin])
            small[bin].add(next.small[bin])
            scorable[bin] += next.scorable[bin]
            smallScorable[bin] += next.smallScorable[bin]
            hasBlocks[bin] = hasBlocks[bin] || next.hasBlocks[bin]
        }
        for record in next.records {
            if var last = records.last, last.index == record.index {
                guard last.name == record.name, last.recordLength == nil, last.firstBlock + last.bins.count == record.firstBlock else {
                    return "record \(record.name) does not go on where the part before left it"
                }
                last.bins += record.bins
                last.recordLength = record.recordLength
                records[records.count - 1] = last
            } else {
                guard record.index == records.count, record.firstBlock == 0, records.last?.recordLength != nil || records.isEmpty else {
                    return "record \(record.name) (number \(record.index + 1)) does not follow the records before it"
                }
                records.append(record)
            }
        }
        return nil
    }
}
