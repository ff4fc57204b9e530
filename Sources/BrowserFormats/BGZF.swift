import CZlib
import Dispatch

/// What can go wrong while compressing (zlib fails only for memory or a bad level).
public struct CompressionError: Error, Equatable, Sendable {
    public let code: Int32
    public let reason: String
}

/// BGZF, the blocked gzip of the SAM/BAM specification (§4.1) that bgzip, tabix and
/// samtools read: gzip members of at most 64 KiB each, every one with a `BC` extra field
/// holding its size, and an empty member at the end.
///
/// A position in the uncompressed data is a virtual offset: the member's file offset
/// shifted left 16 bits, plus the offset inside the member's data.
public enum BGZF {
    /// Uncompressed bytes per member, as htslib's `BGZF_BLOCK_SIZE`: deflate output for this
    /// much, with the 18-byte header and 8-byte footer, always fits in 64 KiB.
    public static let blockSize = 0xFF00
    /// The empty member that ends every BGZF file (htslib's `bgzf_close`).
    public static let endOfFile: [UInt8] = [
        0x1F, 0x8B, 0x08, 0x04, 0, 0, 0, 0, 0, 0xFF, 0x06, 0, 0x42, 0x43, 0x02, 0, 0x1B, 0,
        0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]

    /// One member holding `data` (at most `blockSize` bytes), compressed at `level` (zlib's
    /// 0–9; bgzip's default is 6). Data that deflate cannot shrink enough is stored.
    public static func member(_ data: UnsafeRawBufferPointer, level: Int32 = 6) throws(CompressionError) -> [UInt8] {
        precondition(data.count <= blockSize, "a BGZF member holds at most \(blockSize) bytes")
        var out = [UInt8](repeating: 0, count: 1 << 16)
        var size = try deflate(data, level: level, into: &out)
        if size == nil { size = try deflate(data, level: 0, into: &out) }
        guard let compressed = size else { throw CompressionError(code: Z_BUF_ERROR, reason: "stored block does not fit") }
        let total = 18 + compressed + 8
        let header: [UInt8] = [0x1F, 0x8B, 0x08, 0x04, 0, 0, 0, 0, 0, 0xFF, 0x06, 0, 0x42, 0x43, 0x02, 0,
                               UInt8((total - 1) & 0xFF), UInt8((total - 1) >> 8)]
        for i in 0..<18 { out[i] = header[i] }
        let crc = UInt32(crc32(0, data.baseAddress?.assumingMemoryBound(to: Bytef.self), UInt32(data.count)))
        for i in 0..<4 {
            out[18 + compressed + i] = UInt8((crc >> (8 * UInt32(i))) & 0xFF)
            out[22 + compressed + i] = UInt8((UInt32(data.count) >> (8 * UInt32(i))) & 0xFF)
        }
        out.removeLast(out.count - total)
        return out
    }

    /// Raw deflate of `data` into `out` after the 18-byte header; the compressed size, or nil
    /// when it does not fit in a member.
    private static func deflate(_ data: UnsafeRawBufferPointer, level: Int32, into out: inout [UInt8]) throws(CompressionError) -> Int? {
        var stream = z_stream()
        let status = deflateInit2_(&stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw CompressionError(code: status, reason: "deflateInit2 failed") }
        defer { deflateEnd(&stream) }
        let room = (1 << 16) - 18 - 8
        return out.withUnsafeMutableBytes { (buffer) -> Int? in
            stream.next_in = UnsafeMutablePointer(mutating: data.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = UInt32(data.count)
            stream.next_out = buffer.baseAddress.map { ($0 + 18).assumingMemoryBound(to: Bytef.self) }
            stream.avail_out = UInt32(room)
            let result = CZlib.deflate(&stream, Z_FINISH)
            return result == Z_STREAM_END ? room - Int(stream.avail_out) : nil
        }
    }
}

/// Writes a stream of bytes as BGZF members of `BGZF.blockSize` bytes (the last one
/// shorter), and keeps the virtual offset where every member starts.
///
/// With `batch` above 1, full blocks wait until there are `batch` of them and are then
/// compressed on all cores at once; a byte's virtual offset is known once its block's
/// predecessors are written (`virtualOffset(at:)`).
public final class BGZFWriter {
    /// A byte's place before its virtual offset is known: its block's number and its
    /// offset in the block.
    public struct Position: Sendable {
        public let block: Int, offset: Int
    }

    /// Where the members go, in order.
    private let emit: ([UInt8]) -> Void
    private var pending: [UInt8] = []
    /// Full blocks not yet compressed.
    private var full: [[UInt8]] = []
    /// The file offset of every member written, and of the next one.
    private var blockStarts = [0]
    public let level: Int32
    public let batch: Int

    public init(level: Int32 = 6, batch: Int = 1, emit: @escaping ([UInt8]) -> Void) {
        self.level = level
        self.batch = max(batch, 1)
        self.emit = emit
        pending.reserveCapacity(BGZF.blockSize)
    }

    /// The file offset of the next member: the bytes emitted so far.
    public var compressedOffset: Int { blockStarts[blockStarts.count - 1] }

    /// The place of the next byte to be written.
    public var position: Position { Position(block: blockStarts.count - 1 + full.count, offset: pending.count) }

    /// The virtual offset of `position`, or nil while blocks before it wait to be compressed.
    public func virtualOffset(at position: Position) -> UInt64? {
        guard position.block < blockStarts.count else { return nil }
        return UInt64(blockStarts[position.block]) << 16 | UInt64(position.offset)
    }

    /// The virtual offset of the next byte (with `batch` 1, always known).
    public var virtualOffset: UInt64 { virtualOffset(at: position) ?? UInt64(compressedOffset) << 16 }

    public func write(_ bytes: [UInt8]) throws(CompressionError) {
        try write(bytes[...])
    }

    public func write(_ bytes: ArraySlice<UInt8>) throws(CompressionError) {
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let take = min(BGZF.blockSize - pending.count, bytes.endIndex - start)
            pending.append(contentsOf: bytes[start..<(start + take)])
            start += take
            if pending.count == BGZF.blockSize {
                full.append(pending)
                pending.removeAll(keepingCapacity: true)
                if full.count >= batch { try compressWaiting() }
            }
        }
    }

    /// Compresses the full blocks that wait, on all cores, and writes their members in order.
    private func compressWaiting() throws(CompressionError) {
        guard !full.isEmpty else { return }
        let blocks = full
        full.removeAll(keepingCapacity: true)
        var members = [Result<[UInt8], CompressionError>](repeating: .success([]), count: blocks.count)
        if blocks.count == 1 {
            members[0] = BGZFWriter.compress(blocks[0], level: level)
        } else {
            let level = level
            members.withUnsafeMutableBufferPointer { slots in
                let slots = Slots(base: slots.baseAddress)
                DispatchQueue.concurrentPerform(iterations: blocks.count) { slots.base?[$0] = BGZFWriter.compress(blocks[$0], level: level) }
            }
        }
        for member in members {
            let bytes = try member.get()
            emit(bytes)
            blockStarts.append(compressedOffset + bytes.count)
        }
    }

    private static func compress(_ block: [UInt8], level: Int32) -> Result<[UInt8], CompressionError> {
        block.withUnsafeBytes { data in Result { () throws(CompressionError) in try BGZF.member(data, level: level) } }
    }

    /// Compresses what waits and what is pending into members.
    public func flushBlock() throws(CompressionError) {
        if !pending.isEmpty {
            full.append(pending)
            pending.removeAll(keepingCapacity: true)
        }
        try compressWaiting()
    }

    /// Flushes and writes the end-of-file member.
    public func finish() throws(CompressionError) {
        try flushBlock()
        emit(BGZF.endOfFile)
        blockStarts.append(compressedOffset + BGZF.endOfFile.count)
    }
}

/// The results of a `concurrentPerform`, one slot per iteration, each written by its own
/// iteration only.
private struct Slots<Value>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Value>?
}
