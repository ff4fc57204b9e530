import GenomeIO
import Model
import Scoring
import Significance

/// A pass over the inputs for their background alone (`annotate background`, and scans that
/// need it first): reads the inputs once, measures each block's
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
    let geometry: WindowGeometry
    let strands: StrandChoice
    /// Leave out lowercase bases, as the scans will.
    let skipSoftMasked: Bool
    let threads: Int
    static let decoyFraction = 0.1
    /// Called on the calling thread as the pass reads.
    var progress: ((ScanProgress) -> Void)?

    /// Reads `inputs` and builds the background; stdin is copied to `stdinCopy` for the
    /// second pass.
    func run(inputs: [String], stdinCopy: ScratchFile?) throws(GenomeIOError) -> GenomeBackground {
        let decoys = makeTallies()
        defer { decoys.finishWorkers() }
        var records = 0
        var parts = try gather(into: decoys) { (body) throws(GenomeIOError) in
            for path in inputs {
                let reader = FastaReader(stream: try ByteStream(path: path, copy: path == "-" ? stdinCopy : nil))
                let before = records
                while let header = try reader.nextRecord() {
                    records += 1
                    try body(RecordStretch(number: nil, name: header.name, range: 0..<Int.max, reachesEnd: true, before: [],
                                           reader: reader) { reader.progress })
                }
                if records == before { throw .noRecords(path: reader.name) }
            }
        }
        decoys.finishBlocks(into: &parts)
        return decoys.finish(parts)
    }

    /// The parts of the background that the blocks of `fasta` inside `shard` make (whole
    /// blocks: a shard's intervals start at block boundaries and end at one or at the record's end).
    func parts(of fasta: IndexedFasta, shard: ScanRegions) throws(GenomeIOError) -> BackgroundParts {
        let decoys = makeTallies()
        defer { decoys.finishWorkers() }
        var parts = try gather(into: decoys) { (body) throws(GenomeIOError) in
            for (number, entry) in fasta.index.entries.enumerated() {
                for segment in shard.segments(of: entry.name) ?? [] {
                    // The 4-mers that span the block boundary where the shard starts count in its
                    // first block, as in a pass over the whole record.
                    let before = try fasta.bases(of: entry.name, from: max(segment.lowerBound - 3, 0), to: segment.lowerBound)
                    let record = IndexedRecord(fasta, entry)
                    var scratch: [UInt8] = []
                    _ = try record.skipBases(segment.lowerBound, into: &scratch)
                    let end = min(segment.upperBound, entry.length)
                    try body(RecordStretch(number: number, name: entry.name, range: segment.lowerBound..<end, reachesEnd: end == entry.length,
                                           before: before, reader: record) { (0, nil) })
                }
            }
        }
        decoys.finishBlocks(into: &parts)
        return parts
    }

    private func makeTallies() -> DecoyTallies {
        DecoyTallies(scorer: scorer, strands: strands, geometry: geometry, threads: threads)
    }

    /// One record's part, as `gather` reads it.
    struct RecordStretch {
        /// The record's number in the genome without its empty records, or nil for the next.
        let number: Int?
        let name: String
        /// The part to read: from the record's start or a block boundary, to a block
        /// boundary or the record's end (`reachesEnd`).
        let range: Range<Int>
        let reachesEnd: Bool
        /// Up to 3 bases before the part: the context of its first 4-mers.
        let before: [UInt8]
        /// Where to read the part, from its start on.
        let reader: any BaseReader
        /// How far the input has come: bytes read, and its size when known.
        let input: () -> (done: Int, total: Int?)
    }

    /// Reads the stretches `records` calls its body with and hands each block's decoy to `decoys`.
    private func gather(into decoys: DecoyTallies,
                        _ records: ((RecordStretch) throws(GenomeIOError) -> Void) throws(GenomeIOError) -> Void)
        throws(GenomeIOError) -> BackgroundParts {
        var parts = BackgroundParts()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var bases = 0
        let windowsPerBase = BackgroundPass.decoyFraction / Double(geometry.step)
        try records { (stretch) throws(GenomeIOError) in
            let range = stretch.range
            var cutter = BlockCutter(index: stretch.number ?? parts.records.count, name: stretch.name, start: range.lowerBound,
                                     before: stretch.before, skipSoftMasked: skipSoftMasked, windowsPerBase: windowsPerBase)
            while cutter.position < range.upperBound {
                let want = min(buffer.count, range.upperBound - cutter.position)
                let n = try buffer.withUnsafeMutableBufferPointer { (out) throws(GenomeIOError) -> Int in
                    try stretch.reader.readBases(into: UnsafeMutableBufferPointer(rebasing: out[..<want]))
                }
                if n == 0 { break }
                bases += n
                if let progress {
                    let read = stretch.input()
                    progress(ScanProgress(bases: bases, inputDone: read.done, inputTotal: read.total, isBackground: true))
                }
                buffer.withUnsafeBufferPointer { cutter.add(UnsafeBufferPointer(rebasing: $0[..<n]), decoys: decoys) }
            }
            if let blocks = cutter.finish(reachesEnd: stretch.reachesEnd, decoys: decoys) { parts.records.append(blocks) }
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
