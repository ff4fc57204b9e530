/// The FASTA rules that both parsers follow: `FastaReader`, which streams genomes, and
/// `SequenceText`, which reads training and prediction input.
///
/// A line ends with LF, CRLF or a lone CR (classic Mac OS text). A record starts with `>`
/// at the start of a line; its name is the header's first word (up to a space or tab), at
/// most `maximumNameLength` bytes. A UTF-8 byte-order mark at the start of the input is
/// skipped. Text that starts like another format gets a message that names the format.
public enum FastaRules {
    public static let headerMarker = UInt8(ascii: ">")
    /// The longest record name: far beyond any genome's (UCSC allows 255), short enough that
    /// a runaway header line is not held in memory.
    public static let maximumNameLength = 4096
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The words both parsers use for a broken header.
    public static let emptyNameProblem = "FASTA header with an empty name; write a name right after '>'"
    public static let longNameProblem = "record name is longer than \(maximumNameLength) bytes"
    public static func controlByteProblem(_ byte: UInt8) -> String {
        "control byte 0x\(String(byte, radix: 16, uppercase: true)) in a record name"
    }

    @inline(__always)
    public static func isLineEnd(_ byte: UInt8) -> Bool { byte == 0x0A || byte == 0x0D }

    /// Whether a byte ends the name in a header line.
    @inline(__always)
    public static func endsName(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || isLineEnd(byte) }

    /// The first control byte of a name (which no tab-separated output could carry), and its offset.
    public static func controlByte(in name: some Collection<UInt8>) -> (offset: Int, byte: UInt8)? {
        for (offset, byte) in name.enumerated() where byte < 0x20 || byte == 0x7F { return (offset, byte) }
        return nil
    }

    /// The bytes after an optional byte-order mark.
    public static func skippingByteOrderMark(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        bytes.starts(with: byteOrderMark) ? bytes.dropFirst(byteOrderMark.count) : bytes
    }

    /// How many of each record's first letters `notDNA` reads.
    public static let checkedLetters = 1024

    /// Why a record's letters are not DNA, as advice for the message, or nil: a letter that
    /// no nucleotide code uses (IUPAC's are A C G T U R Y K M S W B D H V N) and proteins
    /// do (E F I J L O P Q; not X, which masks bases too, nor the rare Z) is protein's; U
    /// without T is RNA's.
    public static func notDNA(_ letters: some Collection<UInt8>) -> String? {
        var uracil = false, thymine = false
        for letter in letters {
            switch letter & 0xDF {
            case UInt8(ascii: "E"), UInt8(ascii: "F"), UInt8(ascii: "I"), UInt8(ascii: "J"), UInt8(ascii: "L"),
                 UInt8(ascii: "O"), UInt8(ascii: "P"), UInt8(ascii: "Q"):
                return "this looks like protein ('\(Character(Unicode.Scalar(letter)))' is no nucleotide code); annotate scans DNA"
            case UInt8(ascii: "U"): uracil = true
            case UInt8(ascii: "T"): thymine = true
            default: break
            }
        }
        return uracil && !thymine
            ? "this looks like RNA (U, no T); annotate scans DNA: write T for U first, e.g. sed '/^>/!y/Uu/Tt/' FILE" : nil
    }

    /// How many of an input's first bytes `lookalike` reads.
    public static let lookalikeBytes = 8

    /// What text that should be FASTA (or sequence lines) but is not looks like, from its
    /// first `lookalikeBytes` bytes, as advice for the message; nil when it looks like
    /// nothing in particular.
    public static func lookalike(_ start: some Collection<UInt8>) -> String? {
        let bytes = Array(start.prefix(lookalikeBytes))
        guard let first = bytes.first else { return nil }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF])
            || (bytes.count >= 4 && (bytes[1] == 0 && bytes[3] == 0 || bytes[0] == 0 && bytes[2] == 0)) {
            return "this is UTF-16 text; convert it first: iconv -f UTF-16 -t ASCII FILE"
        }
        if first == UInt8(ascii: "@") {
            return "this looks like FASTQ ('@' header); convert it to FASTA first: seqtk seq -A FILE, or samtools fasta FILE"
        }
        if bytes.starts(with: Array("BAM\u{1}".utf8)) {
            return "this is BAM; convert it to FASTA first: samtools fasta FILE"
        }
        if bytes.starts(with: Array("##filefo".utf8)) {
            return "this is VCF, not FASTA"
        }
        return nil
    }
}
