import CZlib

/// Where a bigWig goes: appended to in order, and patched at the end (the header and the
/// offsets it holds are known only then).
public protocol PatchableOutput: AnyObject {
    /// Bytes appended so far.
    var position: Int { get }
    func append(_ bytes: [UInt8]) throws
    func patch(at offset: Int, _ bytes: [UInt8]) throws
}

/// Temporary storage for what is written after the main data (the zoom levels).
public protocol SpillStorage: AnyObject {
    var size: Int { get }
    func append(_ bytes: [UInt8]) throws
    /// Hands the stored bytes to `body` in order, in pieces.
    func readBack(_ body: ([UInt8]) throws -> Void) throws
}

/// zlib's `compress` (a zlib stream at the default level, as BBI sections are stored) with
/// one deflate state kept from call to call: `compress` sets up and clears 256 KB of state
/// each time, which dominates for the many small sections of a genome of short records.
final class BBIDeflater {
    private var stream = z_stream()
    private var ready = false

    deinit { if ready { deflateEnd(&stream) } }

    func compress(_ data: [UInt8]) throws(CompressionError) -> [UInt8] {
        let status = ready ? deflateReset(&stream)
            : deflateInit_(&stream, Z_DEFAULT_COMPRESSION, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw CompressionError(code: status, reason: "deflateInit failed") }
        ready = true
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(data.count))))
        let (result, left) = out.withUnsafeMutableBufferPointer { o in
            data.withUnsafeBufferPointer { i in
                stream.next_in = UnsafeMutablePointer(mutating: i.baseAddress)
                stream.avail_in = UInt32(i.count)
                stream.next_out = o.baseAddress
                stream.avail_out = UInt32(o.count)
                return (deflate(&stream, Z_FINISH), Int(stream.avail_out))
            }
        }
        guard result == Z_STREAM_END else { throw CompressionError(code: result, reason: "deflate failed") }
        out.removeLast(left)
        return out
    }
}

/// Little-endian field writing for the BBI formats.
struct BBIBytes {
    var bytes: [UInt8] = []
    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func f32(_ v: Float) { u32(v.bitPattern) }
    mutating func f64(_ v: Double) { u64(v.bitPattern) }
}

/// One compressed section of a BBI file and the range it covers, for the R-tree index.
struct BBISection {
    let chromosome: UInt32
    let start: UInt32
    var endChromosome: UInt32
    let end: UInt32
    let offset: UInt64
    let size: UInt64

    init(chromosome: UInt32, start: UInt32, endChromosome: UInt32? = nil, end: UInt32, offset: UInt64, size: UInt64) {
        self.chromosome = chromosome
        self.start = start
        self.endChromosome = endChromosome ?? chromosome
        self.end = end
        self.offset = offset
        self.size = size
    }
}

enum BBI {
    static let bigWigMagic: UInt32 = 0x888F_FC26
    static let chromosomeTreeMagic: UInt32 = 0x78CA_8C91
    static let rTreeMagic: UInt32 = 0x2468_ACE0
    /// Children per R-tree node and chromosome-tree node, as UCSC's tools use.
    static let blockSize = 256
    static let maximumZoomLevels = 10

    /// The chromosome B+ tree: names (sorted bytewise, zero-padded to the longest) to
    /// number and length, written at `offset`.
    static func chromosomeTree(_ chromosomes: [(name: [UInt8], length: UInt32)], at offset: UInt64) -> [UInt8] {
        let keySize = max(1, chromosomes.map(\.name.count).max() ?? 1)
        let sorted = chromosomes.enumerated().sorted { $0.element.name.lexicographicallyPrecedes($1.element.name) }
        let perNode = max(1, min(blockSize, sorted.count))
        var out = BBIBytes()
        out.u32(chromosomeTreeMagic)
        out.u32(UInt32(perNode))
        out.u32(UInt32(keySize))
        out.u32(8)
        out.u64(UInt64(sorted.count))
        out.u64(0)
        func key(_ name: [UInt8]) -> [UInt8] { name + [UInt8](repeating: 0, count: keySize - name.count) }
        // Levels from the leaves up, as in the R-tree.
        var levels: [[Range<Int>]] = []
        var count = sorted.count
        repeat {
            let nodes = stride(from: 0, to: max(count, 1), by: perNode).map { $0..<min($0 + perNode, count) }
            levels.append(nodes)
            count = nodes.count
        } while count > 1
        // The first key under each node, level by level.
        var firstIndex: [[Int]] = [Array(sorted.indices)]
        for level in levels { firstIndex.append(level.map { firstIndex[firstIndex.count - 1][$0.lowerBound] }) }
        var levelStart = [UInt64](repeating: 0, count: levels.count)
        var position = offset + 32
        for l in stride(from: levels.count - 1, through: 0, by: -1) {
            levelStart[l] = position
            position += levels[l].reduce(0) { $0 + 4 + UInt64(keySize + 8) * UInt64($1.count) }
        }
        for l in stride(from: levels.count - 1, through: 0, by: -1) {
            var childOffset = l > 0 ? levelStart[l - 1] : 0
            for node in levels[l] {
                out.u8(l == 0 ? 1 : 0)
                out.u8(0)
                out.u16(UInt16(node.count))
                for child in node {
                    if l == 0 {
                        let item = sorted[child]
                        out.bytes += key(item.element.name)
                        out.u32(UInt32(item.offset))
                        out.u32(item.element.length)
                    } else {
                        out.bytes += key(sorted[firstIndex[l][child]].element.name)
                        out.u64(childOffset)
                        childOffset += 4 + UInt64(keySize + 8) * UInt64(levels[l - 1][child].count)
                    }
                }
            }
        }
        return out.bytes
    }
}
