#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A FASTA file, plain or BGZF, read at random through its samtools-style indexes:
/// `FILE.fai`, and for BGZF `FILE.gzi` (`annotate index` or `samtools faidx` writes them).
public final class IndexedFasta {
    public let path: String
    public let index: FastaIndex
    /// Nil for plain text.
    public let blocks: BGZFBlockIndex?

    /// Opens `path` with the indexes beside it.
    public init(path: String) throws(GenomeIOError) {
        self.path = path
        let compressed = try IndexedFasta.isGzip(path)
        let faiPath = path + ".fai"
        let fai: [UInt8]
        do { fai = try ByteStream.contents(of: faiPath) } catch .cannotOpen {
            throw .badIndex(path: faiPath, line: nil, reason: "no index; make one with annotate index \(path) (or samtools faidx)")
        }
        index = try FastaIndex(parsing: String(decoding: fai, as: UTF8.self), path: faiPath)
        if compressed {
            let gziPath = path + ".gzi"
            let gzi: [UInt8]
            do { gzi = try ByteStream.contents(of: gziPath) } catch .cannotOpen {
                throw .badIndex(path: gziPath, line: nil, reason: "no BGZF index for this gzip file; make one with annotate index \(path) (or samtools faidx)")
            }
            blocks = try BGZFBlockIndex(parsing: gzi, path: gziPath)
        } else {
            blocks = nil
        }
    }

    /// Whether `path` has a .fai beside it.
    public static func hasIndex(_ path: String) -> Bool { access(path + ".fai", R_OK) == 0 }

    /// Whether the file starts with the gzip magic bytes.
    public static func isGzip(_ path: String) throws(GenomeIOError) -> Bool {
        let stream = try ByteStream(path: path, at: 0, gzip: false)
        let first = UnsafeMutableRawBufferPointer.allocate(byteCount: 2, alignment: 1)
        defer { first.deallocate() }
        var count = 0
        while count < 2 {
            let n = try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: first[count...]))
            if n == 0 { return false }
            count += n
        }
        return first[0] == 0x1F && first[1] == 0x8B
    }

    /// Bases [begin, end) of record `name` (0-based, half-open, clipped to the record), as
    /// they are in the file (case kept).
    public func bases(of name: String, from begin: Int, to end: Int) throws(GenomeIOError) -> [UInt8] {
        var out: [UInt8] = []
        try read(name, from: begin, to: end) { out += $0 }
        return out
    }

    /// Hands the bases [begin, end) of record `name` (0-based, half-open, clipped to the
    /// record) to `body` in pieces of up to 64 KB, in order, reading only the blocks that
    /// hold them.
    public func read(_ name: String, from begin: Int, to end: Int, _ body: (ArraySlice<UInt8>) throws(GenomeIOError) -> Void) throws(GenomeIOError) {
        guard let entry = index.entry(named: name) else {
            throw .badRegion(path: path, region: name, reason: "no record of that name in the index")
        }
        let reader = try RangeReader(self, entry, from: begin, to: end)
        var bases = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = try bases.withUnsafeMutableBufferPointer { (out) throws(GenomeIOError) -> Int in try reader.read(into: out) }
            if count == 0 { return }
            try body(bases[0..<count])
        }
    }

    /// The bases [begin, end) of one record (clipped to it), read on demand through the
    /// index: the text of the lines that hold them, from the line end before the first
    /// one's start to the line end after the last one's (but at most `margin` bases either
    /// side of the range), checked to be laid out as the index says (letters where it puts
    /// bases, CR or LF where it puts line ends), so that an index of another file, or of
    /// this one before an edit, throws instead of giving other bases.
    final class RangeReader {
        /// How far past the range, inside its first and last lines, the layout is checked.
        static let margin = 1 << 16
        private let stream: ByteStream?
        private let name: String, fasta: String
        /// Text bytes to drop before the first byte checked, and text bytes left to take.
        private var skip: Int, left: Int
        private var delivered = 0
        private let expected: Int
        /// The range, and the record's geometry (a record without line ends is one line).
        private let begin: Int, end: Int, length: Int, lineBases: Int, lineEnd: Int
        /// The next byte's column in its line (-1: the line end before the first line), the
        /// bases of that line, and the index of the next base.
        private var column = -1, lineLength = 0, base = 0
        /// Allocated once nothing can throw: a throwing init runs no deinit.
        private let raw: UnsafeMutableRawBufferPointer
        private var rawStart = 0, rawEnd = 0

        init(_ fasta: IndexedFasta, _ entry: FastaIndex.Entry, from begin: Int, to end: Int) throws(GenomeIOError) {
            let begin = max(0, begin), end = min(end, entry.length)
            name = entry.name
            self.fasta = fasta.path
            expected = max(0, end - begin)
            let lineBases = entry.lineBytes == entry.lineBases ? max(entry.lineBases, entry.length) : entry.lineBases
            let lineEnd = entry.lineBytes - entry.lineBases, length = entry.length
            (self.begin, self.end, self.length, self.lineBases, self.lineEnd) = (begin, end, length, lineBases, lineEnd)
            guard begin < end else {
                (stream, skip, left) = (nil, 0, 0)
                raw = UnsafeMutableRawBufferPointer(start: nil, count: 0)
                return
            }
            guard lineBases > 0 else { throw RangeReader.misplaced(fasta.path, entry.name) }
            func offset(ofBase i: Int) -> Int { entry.offset + i / lineBases * (lineBases + lineEnd) + i % lineBases }
            // From the LF before the first base's line, or `margin` bases before the range
            // inside it, to the line end after the last base's line, or `margin` bases after.
            let firstLine = begin / lineBases * lineBases, lastLine = (end - 1) / lineBases * lineBases
            let lastLineEnd = lastLine + min(lineBases, length - lastLine)
            base = max(firstLine, begin - RangeReader.margin)
            lineLength = min(lineBases, length - firstLine)
            column = base == firstLine ? -1 : base - firstLine
            let first = offset(ofBase: base) - (base == firstLine ? 1 : 0)
            let last = lastLineEnd - end <= RangeReader.margin ? offset(ofBase: lastLineEnd - 1) + lineEnd : offset(ofBase: end + RangeReader.margin - 1)
            guard first >= 0 else { throw RangeReader.misplaced(fasta.path, entry.name) }
            left = last + 1 - first
            if let blocks = fasta.blocks {
                let block = blocks.block(holding: first)
                stream = try ByteStream(path: fasta.path, at: block.compressed, gzip: true)
                skip = first - block.uncompressed
            } else {
                stream = try ByteStream(path: fasta.path, at: first, gzip: false)
                skip = 0
            }
            raw = .allocate(byteCount: 1 << 16, alignment: 16)
        }

        deinit { raw.deallocate() }

        private static func misplaced(_ fasta: String, _ name: String) -> GenomeIOError {
            .badIndex(path: fasta + ".fai", line: nil,
                      reason: "record \(name) is not where the index says; is the index this file's? Make it again with annotate index")
        }

        private var misplaced: GenomeIOError { RangeReader.misplaced(fasta, name) }

        /// Fills `out` with the next bases; 0 once all are read.
        func read(into out: UnsafeMutableBufferPointer<UInt8>) throws(GenomeIOError) -> Int {
            var count = 0
            while count < out.count {
                if rawStart == rawEnd {
                    guard left > 0, let stream else { break }
                    let got = try stream.read(into: raw)
                    guard got > 0 else {
                        // Only the line end of the record's last line may be missing, at the end of the file.
                        guard base == length, column >= lineLength else { throw misplaced }
                        left = 0
                        break
                    }
                    let dropped = min(skip, got)
                    skip -= dropped
                    rawStart = dropped
                    rawEnd = min(got, dropped + left)
                    left -= rawEnd - rawStart
                    continue
                }
                let byte = raw[rawStart]
                rawStart += 1
                if column >= 0 && column < lineLength {
                    guard (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") else { throw misplaced }
                    if base >= begin && base < end {
                        out[count] = byte
                        count += 1
                    }
                    base += 1
                    column += 1
                } else if column >= 0 && column < lineLength + lineEnd - 1 {
                    guard byte == 0x0D else { throw misplaced }
                    column += 1
                } else {
                    guard byte == 0x0A else { throw misplaced }
                    (column, lineLength) = (0, min(lineBases, length - base))
                }
            }
            delivered += count
            if count == 0, delivered != expected { throw misplaced }
            return count
        }
    }
}
