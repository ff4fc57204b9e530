import Model

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A streaming FASTA reader: a byte-level state machine over a large refill buffer, after
/// lh3's kseq.h.
///
/// It never builds a `String` per line and never holds a whole record: callers pull a
/// record's bases in pieces of any size. Line width is free, lines end with LF, CRLF or a
/// lone CR (classic Mac OS text), blank lines are skipped, and the last line needs no
/// newline. The name is the header's first word.
/// Every sequence byte must be a letter; anything else is an error naming the record, the
/// line and the column.
public final class FastaReader {
    public struct Header: Sendable, Equatable {
        public var name: String
        /// The 1-based line of the `>`.
        public var line: Int
    }

    private let stream: ByteStream
    private let buffer: UnsafeMutableRawBufferPointer
    private var begin = 0
    private var end = 0
    private var exhausted = false

    /// 1-based line of the byte at `begin`, and how many bytes of that line came before it.
    private var line = 1
    private var column = 0
    /// True once a record's `>` has been consumed and its bases are being read.
    private var inRecord = false
    private var recordName = ""
    /// The current record's letters looked at by `FastaRules.notDNA` so far.
    private var checkedLetters = 0
    /// True right after a `\r` that ended a line: a `\n` now completes that line end
    /// (CRLF) instead of ending an empty line. A lone `\r` (classic Mac OS text) ends a line
    /// by itself.
    private var afterCarriageReturn = false
    /// True until the first record is looked for.
    private var atStart = true
    /// The input's first `FastaRules.lookalikeBytes` bytes (fewer for a shorter input).
    private var firstBytes: [UInt8] = []

    /// A 256-entry table: 1 for letters, 2 for `\r` (a line end), 0 for everything else.
    private static let byteClass: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for c in UInt8(ascii: "A")...UInt8(ascii: "Z") {
            table[Int(c)] = 1
            table[Int(c | 0x20)] = 1
        }
        table[0x0D] = 2
        return table
    }()

    public var name: String { stream.name }

    public init(stream: ByteStream, bufferSize: Int = 1 << 22) {
        self.stream = stream
        buffer = .allocate(byteCount: max(bufferSize, 16), alignment: 64)
    }

    deinit {
        buffer.deallocate()
    }

    /// Refills the buffer when it is empty; false at the end of input.
    private func fill() throws(GenomeIOError) -> Bool {
        if begin < end { return true }
        if exhausted { return false }
        begin = 0
        end = try stream.read(into: buffer)
        if end == 0 { exhausted = true }
        return end > 0
    }

    /// Skips the rest of the current record's bases (if any) and reads the next header.
    /// Returns nil at the end of input.
    public func nextRecord() throws(GenomeIOError) -> Header? {
        if inRecord {
            while try skipBases() {}
        }
        if atStart {
            atStart = false
            try readStart()
        }
        // Outside a record only blank lines may come before a '>'.
        while try fill() {
            let byte = buffer[begin]
            if byte == UInt8(ascii: "\n") || byte == 0x0D {
                endLine(byte)
            } else if byte == UInt8(ascii: ">") && column == 0 {
                begin += 1
                afterCarriageReturn = false
                return try readHeader()
            } else {
                let atStart = line == 1 && column == 0
                throw .notFasta(path: stream.name, line: line, lookalike: atStart ? FastaRules.lookalike(FastaRules.skippingByteOrderMark(firstBytes[...])) : nil)
            }
        }
        return nil
    }

    /// Consumes the line end at `begin` (`byte` is `\n` or `\r`): CRLF, LF and a lone CR
    /// each end one line.
    @inline(__always)
    private func endLine(_ byte: UInt8) {
        begin += 1
        if byte == UInt8(ascii: "\n") && afterCarriageReturn {
            afterCarriageReturn = false
            return
        }
        afterCarriageReturn = byte == 0x0D
        line += 1
        column = 0
    }

    /// Keeps the input's first bytes (for `FastaRules.lookalike`, so that the message for
    /// text that is not FASTA does not depend on how reads split the input) and skips a
    /// UTF-8 byte-order mark.
    private func readStart() throws(GenomeIOError) {
        guard try fill() else { return }
        // A read may stop short (a pipe): gather the first bytes, if the input has them.
        let wanted = FastaRules.lookalikeBytes
        while end - begin < wanted, !exhausted {
            let kept = Array(UnsafeRawBufferPointer(rebasing: buffer[begin..<end]))
            let more = try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[kept.count...]))
            buffer.copyBytes(from: kept)
            (begin, end) = (0, kept.count + more)
            if more == 0 { exhausted = true }
        }
        let start = UnsafeRawBufferPointer(rebasing: buffer[begin..<end])
        firstBytes = Array(start.prefix(wanted))
        // Compressed data inside gzip (a .fa.xz.gz) is named as if it came first.
        if let (format, command) = ByteStream.otherCompression(firstBytes) {
            throw .unsupportedCompression(path: stream.name, format: format, command: command)
        }
        if start.starts(with: FastaRules.byteOrderMark) { begin += FastaRules.byteOrderMark.count }
    }

    /// Reads the header line after `>`: keeps its first word (the name), skips the rest.
    private func readHeader() throws(GenomeIOError) -> Header {
        let headerLine = line
        var name = [UInt8]()
        var inName = true
        while try fill() {
            let available = UnsafeRawBufferPointer(rebasing: buffer[begin..<end])
            if let newline = available.firstIndex(where: FastaRules.isLineEnd) {
                if inName { name += available[..<(available[..<newline].firstIndex(where: FastaRules.endsName) ?? newline)] }
                begin += newline  // `available` is rebased: its indices start at 0
                endLine(buffer[begin])
                break
            }
            if inName {
                let stop = available.firstIndex(where: FastaRules.endsName)
                name += available[..<(stop ?? available.count)]
                inName = stop == nil
            }
            begin = end
            guard name.count <= FastaRules.maximumNameLength else { throw .recordNameTooLong(path: stream.name, line: headerLine) }
        }
        guard name.count <= FastaRules.maximumNameLength else { throw .recordNameTooLong(path: stream.name, line: headerLine) }
        guard !name.isEmpty else { throw .emptyRecordName(path: stream.name, line: headerLine) }
        if let (offset, byte) = FastaRules.controlByte(in: name) {
            throw .controlByteInName(path: stream.name, line: headerLine, column: offset + 2, byte: byte)
        }
        recordName = String(decoding: name, as: UTF8.self)
        checkedLetters = 0
        inRecord = true
        return Header(name: recordName, line: headerLine)
    }

    /// Copies up to `into.count` bases of the current record into `into`; returns how many.
    /// Zero means the record has ended (the next `>` or the end of input). A record whose
    /// first letters are protein or RNA is refused (`FastaRules.notDNA`).
    public func readBases(into out: UnsafeMutableBufferPointer<UInt8>) throws(GenomeIOError) -> Int {
        let firstLine = line
        let count = try readLetters(into: out)
        if checkedLetters < FastaRules.checkedLetters, count > 0 {
            let look = min(count, FastaRules.checkedLetters - checkedLetters)
            checkedLetters += look
            if let reason = FastaRules.notDNA(UnsafeBufferPointer(rebasing: out[..<look])) {
                throw .notDNA(path: stream.name, record: recordName, line: firstLine, reason: reason)
            }
        }
        return count
    }

    private func readLetters(into out: UnsafeMutableBufferPointer<UInt8>) throws(GenomeIOError) -> Int {
        var count = 0
        while count < out.count, inRecord {
            guard try fill() else {
                inRecord = false
                break
            }
            let first = buffer[begin]
            if column == 0 && first == UInt8(ascii: ">") {
                inRecord = false
                break
            }
            if first == UInt8(ascii: "\n") || first == 0x0D {
                endLine(first)
                continue
            }
            afterCarriageReturn = false
            // Copy the run of bytes up to the newline, the buffer's end or `out`'s end.
            let limit = min(end, begin + (out.count - count))
            var i = begin
            // Sixteen bytes at a time while they are all letters: (b | 0x20) − 'a' < 26. The
            // block with the newline, or anything else, goes through the byte loop below.
            if let source = buffer.baseAddress, let target = out.baseAddress {
                while i + 16 <= limit {
                    let block = source.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
                    // x = (b | 0x20) − 'a' is below 26 for letters only; then x and x + 102 both
                    // have the top bit clear. (Lane comparisons and `all(_:)` compile to a
                    // lane-by-lane loop; this stays in vector registers.)
                    let x = (block | 0x20) &- UInt8(ascii: "a")
                    let words = unsafeBitCast((x | (x &+ 102)) & 0x80, to: SIMD2<UInt64>.self)
                    guard words[0] | words[1] == 0 else { break }
                    UnsafeMutableRawPointer(target + count).storeBytes(of: block, as: SIMD16<UInt8>.self)
                    count += 16
                    i += 16
                }
            }
            try FastaReader.byteClass.withUnsafeBufferPointer { (table) throws(GenomeIOError) in
                while i < limit {
                    let byte = buffer[i]
                    if byte == UInt8(ascii: "\n") || byte == 0x0D { break }
                    switch table[Int(byte)] {
                    case 1:
                        out[count] = byte
                        count += 1
                    default:
                        throw .invalidSequenceByte(path: stream.name, record: recordName, line: line,
                                                   column: column + (i - begin) + 1, byte: byte)
                    }
                    i += 1
                }
            }
            column += i - begin
            begin = i
        }
        return count
    }

    /// Reads and drops bases; false once the record has ended.
    private func skipBases() throws(GenomeIOError) -> Bool {
        let scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1 << 16)
        defer { scratch.deallocate() }
        return try readBases(into: scratch) > 0
    }

    /// The input consumed so far, in raw (compressed) bytes, and the input's size if known.
    public var progress: (done: Int, total: Int?) { (stream.rawBytesRead, stream.fileSize) }

    /// Reads and drops up to `count` bases of the current record through `scratch`; returns
    /// how many there were (fewer at the record's end).
    package func skipBases(_ count: Int, into scratch: inout [UInt8]) throws(GenomeIOError) -> Int {
        var skipped = 0
        while skipped < count {
            let want = min(count - skipped, scratch.count)
            let n = try scratch.withUnsafeMutableBufferPointer { (buffer) throws(GenomeIOError) -> Int in
                try readBases(into: UnsafeMutableBufferPointer(rebasing: buffer[0..<want]))
            }
            if n == 0 { break }
            skipped += n
        }
        return skipped
    }
}
