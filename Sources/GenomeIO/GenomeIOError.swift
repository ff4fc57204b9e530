import Model

/// Everything that can go wrong while reading input or writing output: the one error of the
/// scan's targets (GenomeIO, Background, Tracks, Scan, Variants), which all read or write
/// files. Scoring does no I/O and cannot fail.
///
/// Each case names the file (`stdin` for `-`), and where it applies the record and line,
/// so one line on stderr tells the user what to fix.
public enum GenomeIOError: Error, Equatable, Sendable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case readFailed(path: String, reason: String)
    /// The gzip stream stops before its end (a partial download or copy).
    case truncatedGzip(path: String, compressedOffset: Int)
    /// zlib found bad deflate data or a CRC/length mismatch.
    case corruptGzip(path: String, compressedOffset: Int, reason: String)
    /// zlib failed for another reason (memory, version).
    case zlib(path: String, code: Int32, reason: String)
    case writeFailed(path: String, reason: String)
    /// Text that is not FASTA: something other than a `>` header comes first. `lookalike`
    /// names what it seems to be instead (`FastaRules.lookalike`).
    case notFasta(path: String, line: Int, lookalike: String?)
    /// Input compressed with something other than gzip: its name and the command that decompresses it.
    case unsupportedCompression(path: String, format: String, command: String)
    /// Input without a single FASTA record (an empty file, or a pipe whose writer failed).
    case noRecords(path: String)
    /// A record name longer than `FastaRules.maximumNameLength`.
    case recordNameTooLong(path: String, line: Int)
    /// A control byte in a record name, which no tab-separated output could carry.
    case controlByteInName(path: String, line: Int, column: Int, byte: UInt8)
    /// A `>` header with nothing after it.
    case emptyRecordName(path: String, line: Int)
    /// A byte in a sequence line that is not a letter; `column` is 1-based.
    case invalidSequenceByte(path: String, record: String, line: Int, column: Int, byte: UInt8)
    /// Inputs that hold no window to score.
    case nothingToScan(path: String, reason: String)
    /// A record whose first bases are protein or RNA (`FastaRules.notDNA`).
    case notDNA(path: String, record: String, line: Int, reason: String)
    /// The second reading of an input (a scan with statistics reads it twice) found other
    /// records than the first: the file changed during the scan.
    case inputChanged(path: String, record: String, line: Int)
    /// A FASTA that a faidx index cannot describe (`record` and `line` where known).
    case cannotIndex(path: String, record: String?, line: Int?, reason: String)
    /// A .fai or .gzi index that cannot be read, or that does not fit its FASTA.
    case badIndex(path: String, line: Int?, reason: String)
    /// A region that names no record of the input, or no bases of it.
    case badRegion(path: String, region: String, reason: String)
    /// A background or shard file (what scans of shards leave for `merge`) that cannot be
    /// read, or that does not fit the others or the scan.
    case badPart(path: String, line: Int?, reason: String)
    /// A VCF that `variants` cannot read, or a record it refuses (`--strict`).
    case badVariant(path: String, line: Int, reason: String)

    public var description: String {
        switch sanitized {
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
        case let .notFasta(path, line, lookalike):
            return "\(path): line \(line): not FASTA: " + (lookalike ?? "sequence data before the first '>' header")
        case let .unsupportedCompression(path, format, command):
            return "\(path): this is \(format)-compressed, and annotate reads plain or gzip/BGZF text; decompress it first: \(command) FILE | annotate ... -"
        case let .controlByteInName(path, line, column, byte):
            return "\(path): line \(line), column \(column): \(FastaRules.controlByteProblem(byte))"
        case let .noRecords(path):
            return "\(path): no FASTA records: the input is empty"
        case let .recordNameTooLong(path, line):
            return "\(path): line \(line): \(FastaRules.longNameProblem)"
        case let .emptyRecordName(path, line):
            return "\(path): line \(line): \(FastaRules.emptyNameProblem)"
        case let .invalidSequenceByte(path, record, line, column, byte):
            let shown = byte >= 0x21 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16, uppercase: true))"
            return "\(path): record \(record), line \(line), column \(column): \(shown) is not a sequence letter"
        case let .nothingToScan(path, reason):
            return "\(path): \(reason)"
        case let .notDNA(path, record, line, reason):
            return "\(path): record \(record), line \(line): \(reason)"
        case let .inputChanged(path, record, line):
            return "\(path): record \(record), line \(line): the input changed while it was scanned (a scan with statistics reads it twice); scan a copy that nothing writes to"
        case let .cannotIndex(path, record, line, reason):
            return "\(path): " + (record.map { "record \($0), " } ?? "") + (line.map { "line \($0): " } ?? "") + "cannot index: \(reason)"
        case let .badIndex(path, line, reason):
            return "\(path): " + (line.map { "line \($0): " } ?? "") + reason
        case let .badRegion(path, region, reason):
            return "\(path): region \(region): \(reason)"
        case let .badPart(path, line, reason):
            return "\(path): " + (line.map { "line \($0): " } ?? "") + reason
        case let .badVariant(path, line, reason):
            return "\(path): line \(line): \(reason)"
        }
    }

    /// The same error with its path and record name as messages show them (`MessageText`).
    private var sanitized: GenomeIOError {
        func shown(_ text: String, _ limit: Int) -> String { MessageText.shown(text, limit: limit) }
        switch self {
        case let .cannotOpen(path, reason): return .cannotOpen(path: shown(path, 120), reason: reason)
        case let .readFailed(path, reason): return .readFailed(path: shown(path, 120), reason: reason)
        case let .truncatedGzip(path, offset): return .truncatedGzip(path: shown(path, 120), compressedOffset: offset)
        case let .corruptGzip(path, offset, reason): return .corruptGzip(path: shown(path, 120), compressedOffset: offset, reason: reason)
        case let .zlib(path, code, reason): return .zlib(path: shown(path, 120), code: code, reason: reason)
        case let .writeFailed(path, reason): return .writeFailed(path: shown(path, 120), reason: reason)
        case let .notFasta(path, line, lookalike): return .notFasta(path: shown(path, 120), line: line, lookalike: lookalike)
        case let .unsupportedCompression(path, format, command):
            return .unsupportedCompression(path: shown(path, 120), format: format, command: command)
        case let .noRecords(path): return .noRecords(path: shown(path, 120))
        case let .recordNameTooLong(path, line): return .recordNameTooLong(path: shown(path, 120), line: line)
        case let .controlByteInName(path, line, column, byte):
            return .controlByteInName(path: shown(path, 120), line: line, column: column, byte: byte)
        case let .emptyRecordName(path, line): return .emptyRecordName(path: shown(path, 120), line: line)
        case let .invalidSequenceByte(path, record, line, column, byte):
            return .invalidSequenceByte(path: shown(path, 120), record: shown(record, 80), line: line, column: column, byte: byte)
        case let .inputChanged(path, record, line): return .inputChanged(path: shown(path, 120), record: shown(record, 80), line: line)
        case let .nothingToScan(path, reason): return .nothingToScan(path: shown(path, 120), reason: reason)
        case let .notDNA(path, record, line, reason): return .notDNA(path: shown(path, 120), record: shown(record, 80), line: line, reason: reason)
        case let .cannotIndex(path, record, line, reason):
            return .cannotIndex(path: shown(path, 120), record: record.map { shown($0, 80) }, line: line, reason: reason)
        case let .badIndex(path, line, reason): return .badIndex(path: shown(path, 120), line: line, reason: reason)
        case let .badRegion(path, region, reason): return .badRegion(path: shown(path, 120), region: shown(region, 80), reason: reason)
        case let .badPart(path, line, reason): return .badPart(path: shown(path, 120), line: line, reason: reason)
        case let .badVariant(path, line, reason): return .badVariant(path: shown(path, 120), line: line, reason: reason)
        }
    }
}
