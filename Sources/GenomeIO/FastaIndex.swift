/// A FASTA index in samtools faidx's format (`.fai`): for each record its name, its length,
/// the offset of its first base in the (uncompressed) text, and its bases and bytes per
/// line. Either tool's index works with the other: `build` follows htslib's
/// `fai_build_core` (faidx.c) for FASTA, and writes the same text samtools writes.
public struct FastaIndex: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let length: Int
        /// Offset of the first base, in bytes of the uncompressed text.
        public let offset: Int
        public let lineBases: Int
        /// Bytes per line, the line end included.
        public let lineBytes: Int

        /// Offset of base `i` (0-based) in the uncompressed text.
        public func offset(ofBase i: Int) -> Int {
            lineBases > 0 ? offset + i / lineBases * lineBytes + i % lineBases : offset
        }
    }

    public private(set) var entries: [Entry] = []
    private var numbers: [String: Int] = [:]

    public init(entries: [Entry]) {
        for entry in entries { add(entry) }
    }

    private mutating func add(_ entry: Entry) {
        numbers[entry.name] = entries.count
        entries.append(entry)
    }

    public func entry(named name: String) -> Entry? { numbers[name].map { entries[$0] } }

    /// The `.fai` text: name, length, offset, line bases and line bytes, tab-separated.
    public var text: String {
        entries.map { "\($0.name)\t\($0.length)\t\($0.offset)\t\($0.lineBases)\t\($0.lineBytes)\n" }.joined()
    }

    /// Reads `.fai` text (samtools' or ours); `path` names it in errors.
    public init(parsing text: String, path: String) throws(GenomeIOError) {
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            // samtools also writes a sixth column (quality offset) for FASTQ.
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            let numbers = fields.dropFirst().prefix(4).compactMap { Int($0) }
            guard fields.count == 5 || fields.count == 6, numbers.count == 4, numbers.allSatisfy({ $0 >= 0 }),
                  !fields[0].isEmpty, numbers[2] > 0 || numbers[0] == 0, numbers[3] >= numbers[2] else {
                throw .badIndex(path: path, line: number + 1, reason: "not a faidx index line (name, length, offset, line bases, line bytes)")
            }
            // The last base's offset must be a number: then every base's is.
            let lines = numbers[2] > 0 ? (numbers[0] - 1) / numbers[2] : 0
            let (span, overflow) = lines.multipliedReportingOverflow(by: numbers[3])
            guard !overflow, span <= Int.max - numbers[1] - numbers[3] else {
                throw .badIndex(path: path, line: number + 1, reason: "the record's offsets do not fit in 63 bits")
            }
            let name = String(fields[0])
            guard entry(named: name) == nil else { throw .badIndex(path: path, line: number + 1, reason: "record \(name) is indexed twice") }
            add(Entry(name: name, length: numbers[0], offset: numbers[1], lineBases: numbers[2], lineBytes: numbers[3]))
        }
    }

    /// Indexes the FASTA that `stream` reads, as samtools faidx does: every line of a record
    /// but its last has the same length, blank lines come only between records, and a
    /// record without bases is left out (samtools leaves it out too). Sequence bytes must
    /// be letters, as the scan needs.
    public static func build(reading stream: ByteStream) throws(GenomeIOError) -> FastaIndex {
        var builder = Builder(path: stream.name)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try stream.read(into: buffer)
            if count == 0 { break }
            try builder.consume(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
        return try builder.finish()
    }

    /// `fai_build_core`'s state machine for FASTA, fed any number of bytes at a time.
    private struct Builder {
        enum State { case betweenRecords, inName, lineStart, inLine, carriageReturn }
        let path: String
        var state = State.betweenRecords
        var index = FastaIndex(entries: [])
        var position = 0
        var line = 1
        var name: [UInt8] = []
        var nameDone = false
        /// The line of the current record's `>`.
        var headerLine = 0
        /// The record being indexed: where its bases start, how many so far, and its first
        /// line's length in bases and bytes (0 before it ends).
        var offset = 0, length = 0, lineBases = 0, lineBytes = 0
        /// The current line's bases and bytes so far.
        var bases = 0, bytes = 0
        /// A line shorter than the first ended the record's bases.
        var ended = false
        var hasBases = false

        init(path: String) { self.path = path }

        var recordName: String { String(decoding: name, as: UTF8.self) }

        func fail(_ reason: String, line: Int? = nil) -> GenomeIOError {
            .cannotIndex(path: path, record: name.isEmpty ? nil : recordName, line: line ?? self.line, reason: reason)
        }

        /// A record starts: its `>` was just read.
        mutating func startRecord() throws(GenomeIOError) {
            try endRecord()
            state = .inName
            name = []
            nameDone = false
            headerLine = line
        }

        mutating func consume(_ chunk: UnsafeRawBufferPointer) throws(GenomeIOError) {
            for c in chunk {
                position += 1
                switch state {
                case .betweenRecords:
                    switch c {
                    case UInt8(ascii: ">"): try startRecord()
                    case UInt8(ascii: "\n"): line += 1
                    case UInt8(ascii: "\r"): state = .carriageReturn
                    case UInt8(ascii: "@"):
                        throw fail("this is FASTQ; annotate indexes and scans FASTA")
                    default:
                        throw fail(hasBases
                            ? "a line follows a shorter line or a blank line: for an index, every line of a record but its last must be equally long (reformat it, e.g. with seqkit seq -w 60)"
                            : "sequence before the first '>' header")
                    }
                case .carriageReturn:
                    guard c == UInt8(ascii: "\n") else { throw fail("a carriage return without a line feed (classic Mac OS line ends cannot be indexed)") }
                    line += 1
                    state = .betweenRecords
                case .inName:
                    // The name is the first word; the rest of the header line is skipped.
                    if c == UInt8(ascii: "\n") {
                        guard !name.isEmpty else { throw fail("a '>' header without a name") }
                        line += 1
                        state = .lineStart
                        offset = position
                        length = 0; lineBases = 0; lineBytes = 0; ended = false
                    } else if c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0B || c == 0x0C {
                        if !name.isEmpty { nameDone = true }
                    } else if !nameDone {
                        name.append(c)
                    }
                case .lineStart:
                    if c == UInt8(ascii: "\n") {
                        line += 1
                        state = .betweenRecords
                    } else if c == UInt8(ascii: "\r") {
                        state = .carriageReturn
                    } else if c == UInt8(ascii: ">") {
                        try startRecord()
                    } else {
                        bases = 0; bytes = 0
                        state = .inLine
                        try lineByte(c)
                    }
                case .inLine:
                    try lineByte(c)
                }
            }
        }

        /// One byte of a sequence line, its line end included.
        mutating func lineByte(_ c: UInt8) throws(GenomeIOError) {
            bytes += 1
            if c == UInt8(ascii: "\n") {
                try endLine()
            } else if c == UInt8(ascii: "\r") {
                // Counted in the line's bytes, as samtools counts it; a line feed must follow.
            } else if (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") {
                guard bytes == bases + 1 else { throw fail("a carriage return inside a line") }
                bases += 1
            } else {
                let shown = c >= 0x21 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x\(String(c, radix: 16, uppercase: true))"
                throw fail("column \(bytes): \(shown) is not a sequence letter")
            }
        }

        mutating func endLine() throws(GenomeIOError) {
            length += bases
            hasBases = true
            if lineBytes == 0 {
                lineBytes = bytes
                lineBases = bases
            } else if bytes > lineBytes {
                throw fail("this line is longer than the record's first (\(lineBases) bases): for an index, every line of a record but its last must be equally long (reformat it, e.g. with seqkit seq -w 60)")
            } else if bytes < lineBytes {
                ended = true
            }
            line += 1
            state = ended ? .betweenRecords : .lineStart
        }

        /// Adds the record just read, if it has bases.
        mutating func endRecord() throws(GenomeIOError) {
            guard !name.isEmpty, length > 0 || lineBytes > 0 else { return }
            let recordName = recordName
            guard index.entry(named: recordName) == nil else {
                throw fail("a second record named \(recordName): an index needs every name once", line: headerLine)
            }
            index.add(Entry(name: recordName, length: length, offset: offset, lineBases: lineBases, lineBytes: lineBytes))
            length = 0; lineBytes = 0
        }

        mutating func finish() throws(GenomeIOError) -> FastaIndex {
            switch state {
            case .inLine:
                // A last line without a line feed counts one byte for it, as samtools counts.
                bytes += 1
                try endLine()
            case .inName:
                throw fail("the last record has no sequence", line: headerLine)
            case .carriageReturn:
                throw fail("the file ends in a carriage return without a line feed")
            case .betweenRecords, .lineStart:
                // samtools refuses a file whose last record has no bases.
                if !name.isEmpty && length == 0 && lineBytes == 0 { throw fail("the last record has no sequence", line: headerLine) }
            }
            try endRecord()
            guard !index.entries.isEmpty else { throw .cannotIndex(path: path, record: nil, line: nil, reason: "no FASTA record with bases") }
            return index
        }
    }
}
