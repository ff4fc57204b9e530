import CZlib

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file or stdin read as a stream of bytes, gunzipped on the fly when it starts with
/// the gzip magic bytes (1f 8b), whatever its name.
///
/// Gzip input may have several members, as `cat a.gz b.gz` and BGZF (`bgzip`) write;
/// each member's end resets the inflater, as htslib's `bgzf.c` does. A stream that stops
/// inside a member is reported as truncated, separately from corrupt data.
public final class ByteStream {
    /// The name used in messages: the path, or `stdin` for `-`.
    public let name: String
    /// The input's size in bytes when it is a regular file (for progress), else nil.
    public let fileSize: Int?
    /// Raw (possibly compressed) bytes consumed so far.
    public private(set) var rawBytesRead = 0
    package var isGzip: Bool { inflater != nil }

    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// The refill buffer: bytes `rawStart ..< rawEnd` are read but not yet consumed.
    private let raw: UnsafeMutableRawBufferPointer
    private var rawStart = 0
    private var rawEnd = 0
    private var rawAtEnd = false
    private var inflater: Inflater?
    private let copy: ScratchFile?

    private static let rawCapacity = 1 << 20

    /// Opens `path`, or stdin for `-`.
    public convenience init(path: String) throws(GenomeIOError) {
        try self.init(path: path, copy: nil)
    }

    /// Opens `path`, or stdin for `-`; with `copy`, every raw byte read is also written
    /// there (stdin, kept for a second pass).
    package init(path: String, copy: ScratchFile?) throws(GenomeIOError) {
        if path == "-" {
            name = "stdin"
            descriptor = 0
            ownsDescriptor = false
        } else {
            name = path
            descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else { throw .cannotOpen(path: path, reason: ByteStream.errnoText()) }
            ownsDescriptor = true
        }
        self.copy = copy
        var info = stat()
        fileSize = fstat(descriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : nil
        raw = .allocate(byteCount: ByteStream.rawCapacity, alignment: 64)
        try start()
    }

    /// Reads a scratch file from its start, under the name of what it holds a copy of.
    package init(rereading scratch: ScratchFile, name: String) throws(GenomeIOError) {
        try scratch.rewind()
        self.name = name
        descriptor = scratch.descriptor
        ownsDescriptor = false
        copy = nil
        fileSize = scratch.size
        raw = .allocate(byteCount: ByteStream.rawCapacity, alignment: 64)
        try start()
    }

    /// Opens the file `path` at byte `offset`: plain text from there, or with `gzip`, gzip
    /// members from there (a BGZF member starts at `offset`): what `IndexedFasta` reads a
    /// region from.
    init(path: String, at offset: Int, gzip: Bool) throws(GenomeIOError) {
        name = path
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .cannotOpen(path: path, reason: ByteStream.errnoText()) }
        ownsDescriptor = true
        copy = nil
        var info = stat()
        fileSize = fstat(descriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : nil
        raw = .allocate(byteCount: ByteStream.rawCapacity, alignment: 64)
        guard lseek(descriptor, off_t(offset), SEEK_SET) == off_t(offset) else { throw .readFailed(path: path, reason: ByteStream.errnoText()) }
        rawBytesRead = offset
        guard gzip else { return }
        try fillRaw(minimum: 18)
        guard UnsafeRawBufferPointer(rebasing: raw[rawStart..<rawEnd]).starts(with: [0x1F, 0x8B]) else {
            throw .badIndex(path: path, line: nil, reason: "no BGZF block starts at compressed byte \(offset); is the .gzi index this file's? Make it again with annotate index")
        }
        inflater = try Inflater(name: name)
    }

    /// Reads the first bytes and sets up gunzipping, or refuses another compression.
    private func start() throws(GenomeIOError) {
        try fillRaw(minimum: 6)
        let start = UnsafeRawBufferPointer(rebasing: raw[rawStart..<rawEnd])
        if start.starts(with: [0x1F, 0x8B]) {
            inflater = try Inflater(name: name)
        } else if let (format, command) = ByteStream.otherCompression(start) {
            throw .unsupportedCompression(path: name, format: format, command: command)
        }
    }

    /// gzip's cousins, by their magic bytes: the format's name and the command that
    /// decompresses it to stdout.
    static func otherCompression(_ start: some Sequence<UInt8>) -> (format: String, command: String)? {
        let magics: [([UInt8], String, String)] = [
            ([0x28, 0xB5, 0x2F, 0xFD], "zstd", "zstd -dc"),
            ([0x42, 0x5A, 0x68], "bzip2", "bzip2 -dc"),
            ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "xz", "xz -dc"),
            ([0x04, 0x22, 0x4D, 0x18], "lz4", "lz4 -dc"),
            ([0x50, 0x4B, 0x03, 0x04], "zip", "unzip -p"),
            ([0x1F, 0x9D], "compress (.Z)", "gzip -dc"),
        ]
        for (magic, format, command) in magics where start.starts(with: magic) { return (format, command) }
        return nil
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
        raw.deallocate()
    }

    /// Fills `buffer` with the next decompressed bytes; returns 0 only at the end of input.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(GenomeIOError) -> Int {
        guard buffer.count > 0 else { return 0 }
        guard let inflater else {
            if rawStart == rawEnd {
                if rawAtEnd { return 0 }
                try fillRaw(minimum: 1)
            }
            let n = min(buffer.count, rawEnd - rawStart)
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[rawStart..<(rawStart + n)]))
            rawStart += n
            return n
        }
        while true {
            if rawStart == rawEnd, !rawAtEnd { try fillRaw(minimum: 1) }
            let available = rawEnd - rawStart
            if available == 0 {
                if inflater.atMemberBoundary { return 0 }
                throw .truncatedGzip(path: name, compressedOffset: rawBytesRead)
            }
            let step = try inflater.inflate(
                from: UnsafeMutableRawBufferPointer(rebasing: raw[rawStart..<rawEnd]), into: buffer,
                compressedOffset: rawBytesRead - available)
            rawStart += step.consumed
            if step.memberEnded {
                // Skip nothing: the next member must start right here, or the data must end.
                if rawStart == rawEnd, !rawAtEnd { try fillRaw(minimum: 1) }
                if rawStart < rawEnd {
                    guard raw[rawStart] == 0x1F else {
                        throw .corruptGzip(path: name, compressedOffset: rawBytesRead - (rawEnd - rawStart),
                                           reason: "bytes after a gzip member are not another gzip member")
                    }
                    try inflater.reset()
                }
            }
            if step.produced > 0 { return step.produced }
        }
    }

    /// Reads everything that is left (for small inputs such as training data).
    public func readAll() throws(GenomeIOError) -> [UInt8] {
        var out = [UInt8]()
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let n = try read(into: chunk)
            if n == 0 { return out }
            out += chunk[0..<n]
        }
    }

    /// Reads the whole file or stdin, gunzipping it if needed.
    public static func contents(of path: String) throws(GenomeIOError) -> [UInt8] {
        try ByteStream(path: path).readAll()
    }

    /// Moves unread raw bytes to the front and reads until at least `minimum` are buffered or input ends.
    private func fillRaw(minimum: Int) throws(GenomeIOError) {
        if rawStart > 0 {
            let left = rawEnd - rawStart
            if left > 0, let base = raw.baseAddress { base.copyMemory(from: base + rawStart, byteCount: left) }
            rawStart = 0
            rawEnd = left
        }
        while rawEnd - rawStart < minimum, !rawAtEnd {
            let n = Glibc.read(descriptor, raw.baseAddress.map { $0 + rawEnd }, raw.count - rawEnd)
            if n < 0 {
                if errno == EINTR { continue }
                throw .readFailed(path: name, reason: ByteStream.errnoText())
            }
            if n == 0 { rawAtEnd = true } else {
                if let copy, let base = raw.baseAddress { try copy.append(UnsafeRawBufferPointer(start: base + rawEnd, count: n)) }
                rawEnd += n
                rawBytesRead += n
            }
        }
    }

    static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}

/// One zlib inflate stream for gzip members (`inflateInit2` with 15 + 16 window bits).
///
/// Every zlib status code is turned into a `GenomeIOError` in `check`, the one place that
/// reads them, so data/CRC errors, truncation and other failures stay separate cases.
final class Inflater {
    private var stream = z_stream()
    private let name: String
    /// True before any byte of a member is read and after a member ends.
    private(set) var atMemberBoundary = true

    init(name: String) throws(GenomeIOError) {
        self.name = name
        try check(inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)), offset: 0)
    }

    deinit {
        inflateEnd(&stream)
    }

    func reset() throws(GenomeIOError) {
        try check(inflateReset(&stream), offset: 0)
        atMemberBoundary = true
    }

    /// Inflates from `input` into `output`; says how much was consumed and produced and
    /// whether a member ended (`Z_STREAM_END`).
    func inflate(
        from input: UnsafeMutableRawBufferPointer, into output: UnsafeMutableRawBufferPointer, compressedOffset: Int
    ) throws(GenomeIOError) -> (consumed: Int, produced: Int, memberEnded: Bool) {
        stream.next_in = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.avail_in = UInt32(input.count)
        stream.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = UInt32(min(output.count, Int(UInt32.max)))
        let status = CZlib.inflate(&stream, Z_NO_FLUSH)
        let consumed = input.count - Int(stream.avail_in)
        let produced = min(output.count, Int(UInt32.max)) - Int(stream.avail_out)
        if consumed > 0 { atMemberBoundary = false }
        if status == Z_STREAM_END {
            atMemberBoundary = true
            return (consumed, produced, true)
        }
        // Z_BUF_ERROR only means no progress was possible with this input; more may come.
        if status != Z_BUF_ERROR { try check(status, offset: compressedOffset + consumed) }
        return (consumed, produced, false)
    }

    private func check(_ status: Int32, offset: Int) throws(GenomeIOError) {
        switch status {
        case Z_OK, Z_STREAM_END:
            return
        case Z_DATA_ERROR, Z_NEED_DICT:
            let message = stream.msg.map { String(cString: $0) } ?? "invalid deflate data"
            throw .corruptGzip(path: name, compressedOffset: offset, reason: message)
        case Z_MEM_ERROR:
            throw .zlib(path: name, code: status, reason: "out of memory")
        default:
            throw .zlib(path: name, code: status, reason: stream.msg.map { String(cString: $0) } ?? "unexpected status")
        }
    }
}
