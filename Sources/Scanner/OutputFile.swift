#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered output to stdout or to a file that appears only when the run succeeds.
///
/// A file is written as `PATH.tmp.PID` and renamed over `PATH` by `commit()`, so a failed
/// or interrupted run never leaves a truncated result that looks complete. When stdout is
/// a pipe whose reader went away (`annotate … | head`), `isClosedByReader` turns true and
/// later writes are dropped, so the caller can stop early and exit quietly.
public final class OutputFile {
    public let name: String
    private let path: String?
    private let temporaryPath: String?
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var committed = false
    /// True once the reader went away (EPIPE); further writes are dropped.
    public private(set) var isClosedByReader = false

    private static let flushThreshold = 1 << 16

    /// Opens `path` for writing, or stdout when `path` is nil or `-`.
    public init(path: String?) throws(ScannerError) {
        guard let path, path != "-" else {
            name = "stdout"
            self.path = nil
            temporaryPath = nil
            descriptor = 1
            return
        }
        name = path
        self.path = path
        let temporary = "\(path).tmp.\(getpid())"
        temporaryPath = temporary
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw .cannotOpen(path: path, reason: ByteStream.errnoText()) }
        buffer.reserveCapacity(OutputFile.flushThreshold * 2)
    }

    deinit {
        if let temporaryPath, !committed {
            close(descriptor)
            unlink(temporaryPath)
        }
    }

    public func write(_ text: String) throws(ScannerError) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= OutputFile.flushThreshold { try flush() }
    }

    public func write(bytes: some Sequence<UInt8>) throws(ScannerError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= OutputFile.flushThreshold { try flush() }
    }

    public func flush() throws(ScannerError) {
        defer { buffer.removeAll(keepingCapacity: true) }
        if isClosedByReader { return }
        var written = 0
        while written < buffer.count {
            let n = buffer.withUnsafeBytes { bytes in
                Glibc.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE, path == nil {
                    isClosedByReader = true
                    return
                }
                throw .writeFailed(path: name, reason: ByteStream.errnoText())
            }
            written += n
        }
    }

    /// Flushes, and for a file makes it durable and moves it into place.
    public func commit() throws(ScannerError) {
        try flush()
        guard let path, let temporaryPath else { return }
        guard close(descriptor) == 0 else { throw .writeFailed(path: name, reason: ByteStream.errnoText()) }
        guard rename(temporaryPath, path) == 0 else {
            let reason = ByteStream.errnoText()
            unlink(temporaryPath)
            committed = true
            throw .writeFailed(path: name, reason: reason)
        }
        committed = true
    }
}
