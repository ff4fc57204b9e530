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
    /// Text that is not FASTA: something other than a `>` header comes first.
    case notFasta(path: String, line: Int)
    /// A `>` header with nothing after it.
    case emptyRecordName(path: String, line: Int)
    /// A byte in a sequence line that is not a letter; `column` is 1-based.
    case invalidSequenceByte(path: String, record: String, line: Int, column: Int, byte: UInt8)

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
        case let .notFasta(path, line):
            return "\(path): line \(line): not FASTA: sequence data before the first '>' header"
        case let .emptyRecordName(path, line):
            return "\(path): line \(line): FASTA header with an empty name; write a name right after '>'"
        case let .invalidSequenceByte(path, record, line, column, byte):
            let shown = byte >= 0x21 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16, uppercase: true))"
            return "\(path): record \(record), line \(line), column \(column): \(shown) is not a sequence letter"
        }
    }
}
