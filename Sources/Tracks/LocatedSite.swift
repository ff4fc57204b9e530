import GenomeIO
import Model

/// The site the model located in a window (`Network.siteSpans`), as a region keeps it:
/// plain bytes, so that regions can be held in a scratch file. Its first base on the forward
/// strand, its length, and its bases read on the window's strand, two bits each (ACGT) with
/// a mask of the bases that are none of them (written N).
package struct LocatedSite: Equatable, Sendable {
    /// −1: no site (the model does not locate sites).
    package var start: Int
    package var length: Int32
    var codes: (UInt64, UInt64)
    var unknown: (UInt64, UInt64)

    /// The longest site kept: the first convolution of any model annotate trains is at most 49 wide.
    static let capacity = 64

    package static let none = LocatedSite(start: -1, length: 0, codes: (0, 0), unknown: (0, 0))

    package var exists: Bool { start >= 0 }
    package var end: Int { start + Int(length) }

    /// The site `span` marks in the window of `windowLength` bases starting at `windowStart`
    /// (forward strand), `bases` being the window as the model read it (reverse-complemented
    /// on the − strand). A span longer than `capacity` keeps its middle `capacity` bases.
    init(span: SiteSpan, windowStart: Int, windowLength: Int, reverse: Bool, bases: ArraySlice<UInt8>) {
        var offset = span.offset, length = span.length
        if length > LocatedSite.capacity {
            offset += (length - LocatedSite.capacity) / 2
            length = LocatedSite.capacity
        }
        start = windowStart + (reverse ? windowLength - offset - length : offset)
        self.length = Int32(length)
        codes = (0, 0)
        unknown = (0, 0)
        for i in 0..<length { put(Nucleotide.code[Int(bases[bases.startIndex + offset + i])], at: i) }
    }

    /// Sets base `i` to `code` (0–3 for ACGT, anything else for N).
    private mutating func put(_ code: UInt8, at i: Int) {
        let shift = UInt64(2 * (i & 31)), bit = UInt64(1) << UInt64(i & 31)
        switch (code < 4, i < 32) {
        case (true, true): codes.0 |= UInt64(code) << shift
        case (true, false): codes.1 |= UInt64(code) << shift
        case (false, true): unknown.0 |= bit
        case (false, false): unknown.1 |= bit
        }
    }

    private init(start: Int, length: Int32, codes: (UInt64, UInt64), unknown: (UInt64, UInt64)) {
        (self.start, self.length, self.codes, self.unknown) = (start, length, codes, unknown)
    }

    /// The site's bases on its strand, upper case.
    package var sequence: String {
        String(decoding: (0..<Int(length)).map(base), as: UTF8.self)
    }

    private func base(_ i: Int) -> UInt8 {
        let word = i >> 5, shift = UInt64(2 * (i & 31)), bit = UInt64(1) << UInt64(i & 31)
        if (word == 0 ? unknown.0 : unknown.1) & bit != 0 { return UInt8(ascii: "N") }
        return Nucleotide.letters[Int(((word == 0 ? codes.0 : codes.1) >> shift) & 3)]
    }

    /// Reads a site from a shard file's `START,SEQUENCE` (or `.` for none).
    package init?(shardText text: Substring) {
        if text == "." { self = .none; return }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = Int(parts[0]), start >= 0, start < 1 << 48,
              (1...LocatedSite.capacity).contains(parts[1].utf8.count) else { return nil }
        var site = LocatedSite(start: start, length: Int32(parts[1].utf8.count), codes: (0, 0), unknown: (0, 0))
        for (i, letter) in parts[1].utf8.enumerated() {
            let code = Nucleotide.code[Int(letter)]
            // As written: capital ACGT, or N.
            guard letter == UInt8(ascii: "N") || (code < 4 && letter == Nucleotide.letters[Int(code)]) else { return nil }
            site.put(code, at: i)
        }
        self = site
    }

    /// How a shard file writes it.
    package var shardText: String { exists ? "\(start),\(sequence)" : "." }

    package static func == (a: LocatedSite, b: LocatedSite) -> Bool {
        a.start == b.start && a.length == b.length && a.codes == b.codes && a.unknown == b.unknown
    }
}
