import Background
import Scoring

/// A piece of one record: a whole short record, or one chunk of a long one.
struct Piece: Sendable {
    /// The record's name (the FASTA header's first word).
    let record: String
    /// The record's number in the scan's inputs, counting from 0 over all inputs.
    let recordIndex: Int
    /// Its number in the scan's background (which leaves out empty records), or −1.
    let backgroundIndex: Int
    /// The chromosome position of the piece's first base.
    let start: Int
    /// Where the piece's bases begin in its work item.
    let offset: Int
    let count: Int
    /// The leading bases the piece shares with the record's previous piece (window − 1, or
    /// fewer for a short record): they were counted there.
    let overlap: Int
    /// Set on the record's last piece: the record's length.
    let recordLength: Int?
    /// The first piece of its record in the scan (which may start past 0 when a scan reads
    /// regions of records).
    let isFirst: Bool
}

/// What the workers score in one go: pieces of one or more records laid end to end in one
/// buffer, so that a genome of many short records costs about what its bases cost, not a
/// hand-off per record (the per-record cost of a thread pool).
///
/// Between two pieces lie one or more pad bytes that are not bases, so no scorable window
/// crosses from one piece into the next; the pad also puts each piece's first window on the
/// item's grid of window starts (offsets `firstWindow + k · step`).
struct WorkItem: Sendable {
    private(set) var bases: [UInt8] = []
    private(set) var pieces: [Piece] = []
    /// Decoys of background blocks the reader completed, scored along with the item's
    /// windows (a scan that makes its background as it reads).
    var decoys: [DecoyBlock] = []
    /// The piece being read: its record, start, offset and overlap.
    private var open: (record: String, recordIndex: Int, backgroundIndex: Int, start: Int, offset: Int, overlap: Int, isFirst: Bool)?
    let geometry: WindowGeometry
    /// The pad byte: `Nucleotide.code` maps it to 4, like N.
    static let pad: UInt8 = 0

    init(geometry: WindowGeometry, capacity: Int) {
        self.geometry = geometry
        bases.reserveCapacity(capacity)
    }

    /// The offset of window 0 of the item: the first piece's first window.
    var firstWindow: Int { pieces.first.map { geometry.firstWindow(stretchStart: $0.start) } ?? 0 }

    /// Starts a piece of `record` (number `recordIndex` of the scan) at chromosome position
    /// `start` with `carry`, the bases it shares with the record's previous piece;
    /// `readBases` then adds the fresh ones. `isFirst` marks the record's first piece;
    /// `backgroundIndex` is the record's number in the scan's background.
    mutating func beginPiece(record: String, recordIndex: Int, backgroundIndex: Int = -1, start: Int, carry: [UInt8], isFirst: Bool) {
        if let anchor = pieces.first {
            // At least one pad byte, then as many as put the piece's first window on the grid.
            let grid = geometry.firstWindow(stretchStart: anchor.start)
            let own = geometry.firstWindow(stretchStart: start)
            var offset = bases.count + 1
            offset += ((grid - (offset + own) % geometry.step) % geometry.step + geometry.step) % geometry.step
            bases.append(contentsOf: repeatElement(WorkItem.pad, count: offset - bases.count))
        }
        open = (record, recordIndex, backgroundIndex, start, bases.count, carry.count, isFirst)
        bases.append(contentsOf: carry)
    }

    /// Reads up to `count` fresh bases of the open piece with `read`, which fills a buffer
    /// and returns how many bases it wrote (0 at the record's end); returns how many came.
    mutating func readBases<E: Error>(count: Int, _ read: (UnsafeMutableBufferPointer<UInt8>) throws(E) -> Int) throws(E) -> Int {
        let old = bases.count
        bases.append(contentsOf: repeatElement(0, count: count))
        var got = 0
        defer { bases.removeLast(count - got) }
        while got < count {
            let n = try bases.withUnsafeMutableBufferPointer { (buffer) throws(E) -> Int in
                try read(UnsafeMutableBufferPointer(rebasing: buffer[(old + got)..<(old + count)]))
            }
            if n == 0 { break }
            got += n
        }
        return got
    }

    /// Ends the open piece; `recordLength` is set when it is the record's last. Returns the
    /// last `keep` bases of the piece (or all of them when shorter), the next piece's carry.
    mutating func endPiece(recordLength: Int?, keep: Int) -> [UInt8] {
        guard let (record, recordIndex, backgroundIndex, start, offset, overlap, isFirst) = open else { return [] }
        open = nil
        let count = bases.count - offset
        pieces.append(Piece(record: record, recordIndex: recordIndex, backgroundIndex: backgroundIndex, start: start, offset: offset, count: count, overlap: overlap,
                            recordLength: recordLength, isFirst: isFirst))
        return Array(bases[(bases.count - min(keep, count))...])
    }

    /// The item's windows that lie in `piece`, as a range of window indices, and the
    /// chromosome position of the first.
    func windows(of piece: Piece) -> (range: Range<Int>, origin: Int) {
        let own = geometry.firstWindow(stretchStart: piece.start)
        let count = geometry.windowCount(bases: piece.count, firstWindow: own)
        // A piece without windows (a record shorter than one) may lie past the item's last window.
        let first = count > 0 ? (piece.offset + own - firstWindow) / geometry.step : 0
        return (first..<(first + count), piece.start + own)
    }
}
