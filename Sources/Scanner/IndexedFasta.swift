/// A FASTA file, plain or BGZF, read at random through its samtools-style indexes:
/// `FILE.fai`, and for BGZF `FILE.gzi` (`annotate index` or `samtools faidx` writes them).
public final class IndexedFasta {
    public let path: String
    public let index: FastaIndex
    /// Nil for plain text.
    public let blocks: BGZFBlockIndex?

    /// Opens `path` with the indexes beside it.
    public init(path: String) throws(ScannerError) {
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

    /// Whether the file starts with the gzip magic bytes.
    public static func isGzip(_ path: String) throws(ScannerError) -> Bool {
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
    public func bases(of name: String, from begin: Int, to end: Int) throws(ScannerError) -> [UInt8] {
        var out: [UInt8] = []
        try read(name, from: begin, to: end) { out += $0 }
        return out
    }

    /// Hands the bases [begin, end) of record `name` (0-based, half-open, clipped to the
    /// record) to `body` in pieces of up to 64 KB, in order, reading only the blocks that
    /// hold them.
    public func read(_ name: String, from begin: Int, to end: Int, _ body: (ArraySlice<UInt8>) throws(ScannerError) -> Void) throws(ScannerError) {
        guard let entry = index.entry(named: name) else {
            throw .badRegion(path: path, region: name, reason: "no record of that name in the index")
        }
        let begin = max(0, begin), end = min(end, entry.length)
        guard begin < end else { return }
        let first = entry.offset(ofBase: begin), last = entry.offset(ofBase: end - 1)
        let stream: ByteStream
        var skip: Int
        if let blocks {
            let block = blocks.block(holding: first)
            stream = try ByteStream(path: path, at: block.compressed, gzip: true)
            skip = first - block.uncompressed
        } else {
            stream = try ByteStream(path: path, at: first, gzip: false)
            skip = 0
        }
        var left = last + 1 - first, delivered = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { buffer.deallocate() }
        var bases: [UInt8] = []
        bases.reserveCapacity(1 << 16)
        let misplaced = ScannerError.badIndex(path: path + ".fai", line: nil,
                                              reason: "record \(name) is not where the index says; is the index this file's? Make it again with annotate index")
        while left > 0 {
            let count = try stream.read(into: buffer)
            guard count > 0 else { throw misplaced }
            let dropped = min(skip, count)
            skip -= dropped
            let taken = min(left, count - dropped)
            bases.removeAll(keepingCapacity: true)
            for byte in buffer[dropped..<(dropped + taken)] where byte != 0x0A && byte != 0x0D {
                guard (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") else { throw misplaced }
                bases.append(byte)
            }
            left -= taken
            delivered += bases.count
            if !bases.isEmpty { try body(bases[...]) }
        }
        guard delivered == end - begin else { throw misplaced }
    }
}
