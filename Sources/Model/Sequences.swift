/// One input sequence and where it came from.
public struct SequenceRecord: Sendable, Equatable {
    /// The FASTA name, or the 1-based line number for plain lines.
    public var id: String
    /// The bases as written (case kept).
    public var bases: [UInt8]
    /// The 1-based line the sequence starts on.
    public var line: Int
    /// The label from a `sequence<TAB>label` line, if the input had one.
    public var label: Bool?
}

/// Parsers for sequence and label text. They take bytes and do no I/O.
public enum SequenceText {
    /// Parses one sequence per line, FASTA (detected by a leading `>`), or `sequence<TAB>label` lines.
    ///
    /// FASTA follows `FastaRules`. Lines end with LF, CRLF or a lone CR; blank lines are
    /// ignored. Every base must be A, C, G or T (either case), all sequences must have the
    /// same length (`length`, when given), and there must be at least one.
    public static func parse(_ bytes: [UInt8], path: String, length: Int? = nil) throws(ModelError) -> [SequenceRecord] {
        if let lookalike = FastaRules.lookalike(bytes) { throw .invalidInput(path: path, line: 1, column: 1, reason: lookalike) }
        let lines = splitLines(Array(FastaRules.skippingByteOrderMark(bytes[...])))
        let isFasta = lines.first { !$0.text.isEmpty }?.text.first == UInt8(ascii: ">")
        var records = [SequenceRecord]()
        for (number, text) in lines where !text.isEmpty {
            if isFasta {
                if text.first == UInt8(ascii: ">") {
                    let name = text.dropFirst().prefix { !FastaRules.endsName($0) }
                    guard !name.isEmpty else {
                        throw .invalidInput(path: path, line: number, column: 1, reason: FastaRules.emptyNameProblem)
                    }
                    guard name.count <= FastaRules.maximumNameLength else {
                        throw .invalidInput(path: path, line: number, column: 2,
                                            reason: FastaRules.longNameProblem)
                    }
                    if let (offset, byte) = FastaRules.controlByte(in: name) {
                        throw .invalidInput(path: path, line: number, column: offset + 2,
                                            reason: FastaRules.controlByteProblem(byte))
                    }
                    records.append(SequenceRecord(id: String(decoding: name, as: UTF8.self), bases: [], line: number, label: nil))
                } else {
                    guard !records.isEmpty else {
                        throw .invalidInput(path: path, line: number, column: 1, reason: "sequence before the first '>' header")
                    }
                    try check(text, path: path, line: number)
                    records[records.count - 1].bases += text
                }
                continue
            }
            let fields = text.split(separator: 0x09, omittingEmptySubsequences: false)
            try check(fields[0], path: path, line: number)
            var label: Bool?
            if fields.count > 1 {
                label = try parseLabel(fields[1], path: path, line: number, column: fields[0].count + 2)
            }
            records.append(SequenceRecord(id: String(number), bases: Array(fields[0]), line: number, label: label))
        }
        guard !records.isEmpty else { throw .invalidInput(path: path, line: 0, column: 0, reason: "no sequences: the input is empty") }
        let expected = length ?? records.first?.bases.count
        for record in records where record.bases.count != expected || record.bases.isEmpty {
            throw .invalidInput(path: path, line: record.line, column: 0,
                                reason: "sequence \(MessageText.shown(record.id, limit: 80)) has \(record.bases.count) bases; expected \(expected ?? 0)")
        }
        return records
    }

    static func parseLabel(_ text: ArraySlice<UInt8>, path: String, line: Int, column: Int) throws(ModelError) -> Bool {
        switch Array(text) {
        case Array("0".utf8): return false
        case Array("1".utf8): return true
        default:
            throw .invalidInput(path: path, line: line, column: column,
                                reason: "label \"\(MessageText.shown(bytes: text, limit: 40))\" is not 0 or 1")
        }
    }

    private static func check(_ text: ArraySlice<UInt8>, path: String, line: Int) throws(ModelError) {
        for (offset, byte) in text.enumerated() where Nucleotide.code[Int(byte)] > 3 {
            let shown = byte >= 0x21 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
            throw .invalidInput(path: path, line: line, column: offset + 1, reason: "\(shown) is not A, C, G or T")
        }
    }

    /// Lines with their 1-based numbers, without `\n` or a trailing `\r`.
    static func splitLines(_ bytes: [UInt8]) -> [(line: Int, text: ArraySlice<UInt8>)] {
        var lines = [(line: Int, text: ArraySlice<UInt8>)]()
        var start = 0, number = 1
        while start < bytes.count {
            // A line ends with LF, CRLF or a lone CR (classic Mac OS text), as FastaReader reads it.
            let end = bytes[start...].firstIndex(where: FastaRules.isLineEnd) ?? bytes.count
            lines.append((number, bytes[start..<end]))
            number += 1
            start = end < bytes.count && bytes[end] == 0x0D && end + 1 < bytes.count && bytes[end + 1] == 0x0A ? end + 2 : end + 1
        }
        return lines
    }
}

/// Sequences with 0/1 labels, ready for training and evaluation.
public struct LabelledSequences: Sendable {
    public var records: [SequenceRecord]
    public var labels: [Bool]
    /// A remark the caller should show the user (the notebook's header-line artefact).
    public var note: String?

    public var count: Int { records.count }

    /// SHA-256 of the data as `SEQUENCE<TAB>LABEL\n` lines, so the same data in any input
    /// format has the same fingerprint.
    public var sha256: String {
        var text = [UInt8]()
        for (record, label) in zip(records, labels) {
            text += record.bases.map { $0 & 0xDF }
            text += [0x09, label ? 0x31 : 0x30, 0x0A]
        }
        return SHA256.hexDigest(text)
    }

    /// Pairs a sequence file with a labels file, or takes the labels from `sequence<TAB>label` lines.
    ///
    /// A labels file with exactly one line more than there are sequences is the reference
    /// notebook's layout (its first line is a header that `pandas.read_csv` drops): the first
    /// line is dropped and `note` says so. Any other mismatch is an error giving both counts,
    /// and so is a blank line before the last label.
    public init(sequences: [UInt8], sequencesPath: String, labels: [UInt8]?, labelsPath: String?, length: Int? = nil) throws(ModelError) {
        try self.init(records: SequenceText.parse(sequences, path: sequencesPath, length: length), sequencesPath: sequencesPath,
                      labels: labels, labelsPath: labelsPath)
    }

    /// The same, for sequences already parsed from `sequencesPath`.
    public init(records: [SequenceRecord], sequencesPath: String, labels: [UInt8]?, labelsPath: String?) throws(ModelError) {
        self.records = records
        guard let labels, let labelsPath else {
            guard let unlabelled = records.first(where: { $0.label == nil }) else {
                self.labels = records.compactMap(\.label)
                return
            }
            throw .invalidInput(path: sequencesPath, line: unlabelled.line, column: 0,
                                reason: "no label; give a labels file or write sequence<TAB>label lines")
        }
        // A blank line among the labels would pair every later label with the wrong
        // sequence: only blank lines after the last label are allowed.
        var lines = SequenceText.splitLines(labels)
        while lines.last?.text.isEmpty == true { lines.removeLast() }
        if let blank = lines.first(where: { $0.text.isEmpty }) {
            throw .invalidInput(path: labelsPath, line: blank.line, column: 1,
                                reason: "blank line among the labels; every sequence needs its label on its own line, in order")
        }
        if lines.count == records.count + 1 {
            note = "\(labelsPath) has \(lines.count) lines for \(records.count) sequences; "
                + "dropping line 1 as a header, as pandas.read_csv does in the reference notebook"
            lines.removeFirst()
        } else if lines.count != records.count {
            throw .countMismatch(sequencesPath: sequencesPath, sequences: records.count, labelsPath: labelsPath, labels: lines.count)
        }
        var parsed = [Bool]()
        for entry in lines {
            parsed.append(try SequenceText.parseLabel(entry.text, path: labelsPath, line: entry.line, column: 1))
        }
        self.labels = parsed
    }

    public init(records: [SequenceRecord], labels: [Bool]) {
        self.records = records
        self.labels = labels
    }

    public func subset(_ indices: [Int]) -> LabelledSequences {
        LabelledSequences(records: indices.map { records[$0] }, labels: indices.map { labels[$0] })
    }
}
