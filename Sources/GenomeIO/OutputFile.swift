import Model

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered output to stdout or to a file that appears only when the run succeeds.
///
/// A regular file (or one that does not exist yet) is written to a temporary file beside it,
/// made with `mkstemp` (an unpredictable name, created with `O_EXCL`, so nothing planted at
/// the name is followed or truncated) and given the old file's mode, or 0666 less the
/// umask; `commit()` flushes it, `fsync`s it and renames it over the path, so a failed or
/// interrupted run never leaves a truncated result that looks complete. A symlink stays a
/// symlink: its target is replaced. Anything else at the path (a device, a FIFO,
/// `/dev/stdout`) is written straight through, as `cat > PATH` would. SIGINT, SIGTERM and
/// SIGHUP remove the temporary file before the process dies of the signal
/// (`TemporaryFiles`). When stdout is a pipe whose reader went away (`annotate … | head`),
/// `isClosedByReader` turns true and later writes are dropped, so the caller can stop early
/// and exit quietly. On their way to the file, the bytes written go through a sink
/// (`OutputSink`): as they are, as BGZF with a tabix index, or as the records of a bigBed.
public final class OutputFile {
    public let name: String
    /// Where the temporary file goes on commit; nil for stdout and write-through paths.
    private let finalPath: String?
    private let temporaryPath: String?
    private let descriptor: Int32
    /// Stdout or a write-through path: written in place, closed by the caller's exit.
    private let writesThrough: Bool
    private var buffer: [UInt8] = []
    private var committed = false
    /// True once the reader went away (EPIPE); further writes are dropped.
    public private(set) var isClosedByReader = false

    private static let flushThreshold = 1 << 16

    /// What the bytes written go through on their way to the file (`OutputSink`).
    private var sink: any OutputSink = PlainSink()
    /// The index's path without its suffix, when there is one to write.
    private var indexBase: String?

    /// Turns the lines written from now on into the records of a bigBed file, whose
    /// columns `autoSql` declares (`BigBedSink`).
    package func startBigBed(autoSql: String, fieldCount: Int, definedFieldCount: Int) throws(GenomeIOError) {
        guard isPatchable else {
            throw .writeFailed(path: name, reason: "bigBed is written in one pass and patched at the end, so it needs a file: give -o FILE.bb")
        }
        sink = try BigBedSink(file: self, autoSql: autoSql, fieldCount: fieldCount, definedFieldCount: definedFieldCount)
    }

    /// A record's length, for formats that store it (bigBed).
    package func noteRecordLength(_ length: Int, of record: String) { sink.noteRecordLength(length, of: record) }

    /// Appends bytes to the file as they are, past the sink.
    func writeRaw(_ bytes: some Collection<UInt8>) throws(GenomeIOError) {
        buffer += bytes
        if buffer.count >= OutputFile.flushThreshold { try flush() }
    }

    /// Opens `path` for writing, or stdout when `path` is nil or `-`; with `bgzip`, the
    /// output is BGZF and a file gets a tabix index beside it (`PATH.tbi` or `PATH.csi`),
    /// written after the file itself.
    public convenience init(path: String?, bgzip: Bool, layout: TabixLayout = .bed) throws(GenomeIOError) {
        try self.init(path: path)
        guard bgzip else { return }
        sink = BGZFSink(path: name, layout: layout)
        if finalPath != nil, let path { indexBase = path }
    }

    /// Opens `path` for writing, or stdout when `path` is nil or `-`.
    public init(path: String?) throws(GenomeIOError) {
        guard let path, path != "-" else {
            name = "stdout"
            finalPath = nil
            temporaryPath = nil
            descriptor = 1
            writesThrough = true
            return
        }
        name = path
        var target = stat()
        let exists = stat(path, &target) == 0  // follows symlinks
        if exists && (target.st_mode & S_IFMT) != S_IFREG {
            // A device, FIFO or terminal: write to it as it is.
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw .cannotOpen(path: path, reason: ByteStream.errnoText()) }
            finalPath = nil
            temporaryPath = nil
            descriptor = fd
            writesThrough = true
            return
        }
        let destination = OutputFile.resolvingSymlinks(path)
        let (directory, base) = OutputFile.split(destination)
        var template = Array((directory + ".\(base).tmp.XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { $0.baseAddress.map { mkstemp($0) } ?? -1 }
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: ByteStream.errnoText()) }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let mode: mode_t
        if exists {
            mode = target.st_mode & 0o7777
        } else {
            let mask = umask(0)
            umask(mask)
            mode = 0o666 & ~mask
        }
        fchmod(fd, mode)
        TemporaryFiles.register(temporary)
        finalPath = destination
        temporaryPath = temporary
        descriptor = fd
        writesThrough = false
        buffer.reserveCapacity(OutputFile.flushThreshold * 2)
    }

    /// The path that a write to `path` should replace: `path` itself, or for a symlink
    /// (followed link by link, at most 40 as the kernel does) the file it names.
    static func resolvingSymlinks(_ path: String) -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return current }
            var bytes = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &bytes, bytes.count - 1)
            guard n > 0 else { return current }
            let link = String(decoding: bytes[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = link.hasPrefix("/") ? link : split(current).directory + link
        }
        return current
    }

    /// The directory part of a path, with its trailing slash ("" for none), and the name.
    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[...slash]), String(path[path.index(after: slash)...]))
    }

    deinit {
        if let temporaryPath, !committed {
            close(descriptor)
            unlink(temporaryPath)
            TemporaryFiles.unregister(temporaryPath)
        } else if writesThrough, descriptor != 1 {
            close(descriptor)
        }
    }

    public func write(_ text: String) throws(GenomeIOError) {
        try sink.write(Array(text.utf8)[...], to: self)
    }

    public func write(bytes: some Sequence<UInt8>) throws(GenomeIOError) {
        if let array = bytes as? [UInt8] {
            try sink.write(array[...], to: self)
        } else {
            try sink.write(Array(bytes)[...], to: self)
        }
    }

    /// Overwrites bytes already written at `offset` of a file (not stdout or a device): what
    /// a format whose header is known only at the end (bigWig) needs.
    public func patch(at offset: Int, _ bytes: [UInt8]) throws(GenomeIOError) {
        guard finalPath != nil, sink.keepsOffsets else {
            throw .writeFailed(path: name, reason: "this format is patched at the end and needs a file: give -o FILE")
        }
        try flush()
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { raw in raw.baseAddress.map { pwrite(descriptor, $0 + done, raw.count - done, off_t(offset + done)) } ?? 0 }
            if n < 0 {
                if errno == EINTR { continue }
                throw .writeFailed(path: name, reason: ByteStream.errnoText())
            }
            done += n
        }
    }

    /// Whether the output is a file that `patch` can write into.
    public var isPatchable: Bool { finalPath != nil && sink.keepsOffsets }

    public func flush() throws(GenomeIOError) {
        defer { buffer.removeAll(keepingCapacity: true) }
        if isClosedByReader { return }
        var written = 0
        while written < buffer.count {
            let n = buffer.withUnsafeBytes { bytes in
                Glibc.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE, writesThrough {
                    isClosedByReader = true
                    return
                }
                throw .writeFailed(path: name, reason: ByteStream.errnoText())
            }
            written += n
        }
    }

    /// Flushes, and for a file makes it durable (`fsync`) and moves it into place; then
    /// writes the index, when there is one, the same way.
    public func commit() throws(GenomeIOError) {
        let index = try sink.finish(self)
        sink = PlainSink()
        try commitFile()
        if let index, let indexBase {
            let file = try OutputFile(path: indexBase + index.suffix)
            try file.write(bytes: index.bytes)
            try file.commit()
        }
    }

    private func commitFile() throws(GenomeIOError) {
        try flush()
        guard let finalPath, let temporaryPath else { return }
        defer {
            committed = true
            TemporaryFiles.unregister(temporaryPath)
        }
        guard fsync(descriptor) == 0, close(descriptor) == 0, rename(temporaryPath, finalPath) == 0 else {
            let reason = ByteStream.errnoText()
            unlink(temporaryPath)
            throw .writeFailed(path: name, reason: reason)
        }
    }
}
