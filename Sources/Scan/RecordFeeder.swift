import GenomeIO
import Scoring

/// Cuts records into the pieces of work items: a whole record, or only its requested
/// intervals, each in pieces of up to `chunkBases` bases that overlap by window − 1.
struct RecordFeeder {
    let geometry: WindowGeometry
    let chunkBases: Int
    /// Room for the bases skipped between intervals.
    private var scratch = [UInt8](repeating: 0, count: 1 << 16)
    /// The length of the record fed last (once it was fed to its end).
    private(set) var lastLength = 0

    init(geometry: WindowGeometry, chunkBases: Int) {
        self.geometry = geometry
        self.chunkBases = chunkBases
    }

    /// Reads the current record of `reader` (named `name`, number `index` of the scan):
    /// the bases of each of `segments` (sorted, apart; an end past the record means its
    /// end), in pieces begun in `item`. `submit` hands a full item on and starts a new one;
    /// it says false when the output's reader went away, and so does this.
    ///
    /// The record's last piece carries its length; when the last interval ends before the
    /// record, the rest is read past and an empty last piece carries it.
    ///
    /// `observe` sees every base read into a piece, once, in record order (the overlaps
    /// carried from piece to piece are not read again).
    mutating func feed(_ name: String, index: Int, backgroundIndex: Int = -1, segments: [Range<Int>], from reader: any BaseReader, into item: inout WorkItem,
                       observe: ((UnsafeBufferPointer<UInt8>) -> Void)? = nil,
                       submit: (inout WorkItem) throws(GenomeIOError) -> Bool) throws(GenomeIOError) -> Bool {
        var position = 0, isFirst = true, ended = false
        for segment in segments {
            position += try reader.skipBases(segment.lowerBound - position, into: &scratch)
            guard position == segment.lowerBound else { break }
            var start = position, carry: [UInt8] = []
            while true {
                // Fill the item up to chunkBases bases; a record's piece gets at least one
                // fresh base, so that a long record always moves on.
                item.beginPiece(record: name, recordIndex: index, backgroundIndex: backgroundIndex, start: start, carry: carry, isFirst: isFirst)
                isFirst = false
                let room = min(max(chunkBases - item.bases.count, 1), segment.upperBound - (start + carry.count))
                let fresh = try item.readBases(count: room) { (buffer) throws(GenomeIOError) -> Int in
                    let n = try reader.readBases(into: buffer)
                    observe?(UnsafeBufferPointer(rebasing: buffer[..<n]))
                    return n
                }
                ended = fresh < room
                position = start + carry.count + fresh
                let next = item.endPiece(recordLength: ended ? position : nil, keep: geometry.length - 1)
                let segmentDone = ended || position == segment.upperBound
                if item.bases.count >= chunkBases || !segmentDone, !(try submit(&item)) { return false }
                if segmentDone { break }
                start = position - next.count
                carry = next
            }
            if ended { break }
        }
        if !ended {
            position += try reader.skipBases(.max - position, into: &scratch)
            item.beginPiece(record: name, recordIndex: index, backgroundIndex: backgroundIndex, start: position, carry: [], isFirst: isFirst)
            _ = item.endPiece(recordLength: position, keep: 0)
        }
        lastLength = position
        return true
    }
}
