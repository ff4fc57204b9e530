import CZlib

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
/// shorter), and keeps the virtual offset of every byte written.
public final class BGZFWriter {
    /// Where the members go, in order.
    private let emit: ([UInt8]) -> Void
    private var pending: [UInt8] = []
    /// File offset of the member being filled (the bytes emitted so far).
    public private(set) var compressedOffset = 0
    public let level: Int32

    public init(level: Int32 = 6, emit: @escaping ([UInt8]) -> Void) {
        self.level = level
        self.emit = emit
        pending.reserveCapacity(BGZF.blockSize)
    }

    /// The virtual offset of the next byte to be written.
    public var virtualOffset: UInt64 { UInt64(compressedOffset) << 16 | UInt64(pending.count) }

    public func write(_ bytes: [UInt8]) throws(CompressionError) {
        try write(bytes[...])
    }

    public func write(_ bytes: ArraySlice<UInt8>) throws(CompressionError) {
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let take = min(BGZF.blockSize - pending.count, bytes.endIndex - start)
            pending.append(contentsOf: bytes[start..<(start + take)])
            start += take
            if pending.count == BGZF.blockSize { try flushBlock() }
        }
    }

    /// Compresses what is pending into a member.
    public func flushBlock() throws(CompressionError) {
        guard !pending.isEmpty else { return }
        var result: Result<[UInt8], CompressionError> = .success([])
        pending.withUnsafeBytes { data in
            do throws(CompressionError) { result = .success(try BGZF.member(data, level: level)) } catch { result = .failure(error) }
        }
        let member = try result.get()
        emit(member)
        compressedOffset += member.count
        pending.removeAll(keepingCapacity: true)
    }

    /// Flushes and writes the end-of-file member.
    public func finish() throws(CompressionError) {
        try flushBlock()
        emit(BGZF.endOfFile)
        compressedOffset += BGZF.endOfFile.count
    }
}
