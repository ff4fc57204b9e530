/// Everything that can go wrong while reading input or writing output in the Scanner module.
///
/// Each case names the file (`stdin` for `-`), and where it applies the record and line,
/// so one line on stderr tells the user what to fix.
public enum ScannerError: Error, Equatable, Sendable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case readFailed(path: String, reason: String)
    /// The gzip stream stops before its end (a partial download or copy).
    case truncatedGzip(path: String, compressedOffset: Int)
    /// zlib found bad deflate data or a CRC/length mismatch.
    case corruptGzip(path: String, compressedOffset: Int, reason: String)
    /// zlib failed for another reason (memory, version).
    case zlib(path: String, code: Int32, reason: String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            return "\(path): cannot open: \(reason)"
        case let .readFailed(path, reason):
            return "\(path): read error: \(reason)"
        case let .truncatedGzip(path, offset):
            return "\(path): gzip stream is truncated (ends at compressed byte \(offset)); the file is incomplete, fetch or copy it again"
        case let .corruptGzip(path, offset, reason):
            return "\(path): gzip data is corrupt near compressed byte \(offset): \(reason)"
        case let .zlib(path, code, reason):
            return "\(path): zlib error \(code): \(reason)"
        case let .writeFailed(path, reason):
            return "\(path): write error: \(reason)"
        }
    }
}
