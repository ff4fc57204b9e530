#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where each BGZF member of a file starts, compressed and uncompressed: the `.gzi` index
/// that samtools faidx writes beside a BGZF FASTA (htslib's `bgzf_index_dump`). The file
/// holds a count and then (compressed, uncompressed) offset pairs, little-endian 64-bit,
/// for every member with data but the first; empty members are left out.
public struct BGZFBlockIndex: Sendable, Equatable {
    /// (compressed, uncompressed) start of every member with data, the first at (0, 0).
    public private(set) var blocks: [(compressed: Int, uncompressed: Int)]

    public static func == (a: BGZFBlockIndex, b: BGZFBlockIndex) -> Bool {
        a.blocks.elementsEqual(b.blocks) { $0 == $1 }
    }

    /// The `.gzi` bytes.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        func u64(_ v: Int) { withUnsafeBytes(of: UInt64(v).littleEndian) { out += $0 } }
        u64(max(blocks.count - 1, 0))
        for block in blocks.dropFirst() {
            u64(block.compressed)
            u64(block.uncompressed)
        }
        return out
    }

    /// Reads `.gzi` bytes (samtools' or ours); `path` names them in errors.
    public init(parsing bytes: [UInt8], path: String) throws(GenomeIOError) {
        func u64(at i: Int) -> Int { (0..<8).reduce(0) { $0 | Int(bytes[i + $1]) << (8 * $1) } }
        guard bytes.count >= 8 else { throw .badIndex(path: path, line: nil, reason: "not a .gzi index: shorter than its count") }
        let count = u64(at: 0)
        guard count >= 0, count <= (bytes.count - 8) / 16, bytes.count == 8 + 16 * count else {
            throw .badIndex(path: path, line: nil, reason: "not a .gzi index: \(bytes.count) bytes for \(count) entries")
        }
        blocks = [(0, 0)]
        for k in 0..<count {
            let block = (compressed: u64(at: 8 + 16 * k), uncompressed: u64(at: 16 + 16 * k))
            guard let last = blocks.last, block.compressed > last.compressed, block.uncompressed > last.uncompressed else {
                throw .badIndex(path: path, line: nil, reason: "not a .gzi index: entry \(k + 1) does not follow the one before")
            }
            blocks.append(block)
        }
    }

    /// Walks the members of the BGZF file at `path` by their headers (the BC extra field's
    /// member size and the footer's data size), without inflating them. A gzip member
    /// without the BC field means plain gzip, which cannot be read at random.
    public init(building path: String) throws(GenomeIOError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .cannotOpen(path: path, reason: ByteStream.errnoText()) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .readFailed(path: path, reason: ByteStream.errnoText()) }
        let fileSize = Int(info.st_size)
        func read(_ count: Int, at offset: Int) throws(GenomeIOError) -> [UInt8] {
            var bytes = [UInt8](repeating: 0, count: count)
            var done = 0
            while done < count {
                let n = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress.map { $0 + done }, count - done, off_t(offset + done)) }
                if n < 0, errno == EINTR { continue }
                guard n > 0 else {
                    if n == 0 { throw .truncatedGzip(path: path, compressedOffset: offset + done) }
                    throw .readFailed(path: path, reason: ByteStream.errnoText())
                }
                done += n
            }
            return bytes
        }
        blocks = []
        var compressed = 0, uncompressed = 0
        while compressed < fileSize {
            let header = try read(min(12, fileSize - compressed), at: compressed)
            guard header.count == 12, header[0] == 0x1F, header[1] == 0x8B, header[2] == 8 else {
                throw .corruptGzip(path: path, compressedOffset: compressed, reason: "no gzip member starts here")
            }
            let extraLength = header[3] & 4 != 0 ? Int(header[10]) | Int(header[11]) << 8 : 0
            let extra = try read(extraLength, at: compressed + 12)
            var size: Int?
            var i = 0
            while i + 4 <= extra.count {
                let length = Int(extra[i + 2]) | Int(extra[i + 3]) << 8
                if extra[i] == UInt8(ascii: "B"), extra[i + 1] == UInt8(ascii: "C"), length == 2, i + 6 <= extra.count {
                    size = (Int(extra[i + 4]) | Int(extra[i + 5]) << 8) + 1
                }
                i += 4 + length
            }
            guard let size else {
                throw .cannotIndex(path: path, record: nil, line: nil, reason: "this is plain gzip, which cannot be read at random; recompress it as BGZF, e.g. gzip -dc \(path) | bgzip > genome.fa.gz (bgzip is in Debian's tabix package)")
            }
            guard size >= 12 + extraLength + 8, compressed + size <= fileSize else {
                throw .truncatedGzip(path: path, compressedOffset: compressed)
            }
            let footer = try read(4, at: compressed + size - 4)
            let dataSize = footer.enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
            if dataSize > 0 { blocks.append((compressed, uncompressed)) }
            compressed += size
            uncompressed += dataSize
        }
        guard blocks.first?.uncompressed == 0 else {
            throw .cannotIndex(path: path, record: nil, line: nil, reason: "no BGZF member with data")
        }
    }

    /// The member holding uncompressed byte `offset`: its compressed and uncompressed start.
    public func block(holding offset: Int) -> (compressed: Int, uncompressed: Int) {
        var low = 0, high = blocks.count
        while high - low > 1 {
            let middle = (low + high) / 2
            if blocks[middle].uncompressed <= offset { low = middle } else { high = middle }
        }
        return blocks.isEmpty ? (0, 0) : blocks[low]
    }
}
