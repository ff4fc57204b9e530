/// A region as samtools writes one: `chr` (the whole record), `chr:beg` (from beg to the
/// end) or `chr:beg-end`, 1-based and inclusive, with commas allowed in the numbers. A name
/// that itself holds a colon is taken whole when the input has a record of that name.
public struct GenomeRegion: Sendable, Equatable, CustomStringConvertible {
    public let name: String
    /// 0-based start and end (half-open); `end` nil means the record's end.
    public let begin: Int
    public let end: Int?
    /// The text it was parsed from.
    public let text: String

    public var description: String { text }

    /// Parses `text` without knowing the input's names (a scan without an index): it is a
    /// range when what follows its last colon reads as one, else a whole record.
    public init(parsing text: String, path: String) throws(GenomeIOError) {
        let range = text.lastIndex(of: ":").map { text[text.index(after: $0)...] } ?? ""
        let looksLikeRange = !range.isEmpty && range.allSatisfy { $0.isNumber || $0 == "," || $0 == "-" } && range.first?.isNumber == true
        let name = looksLikeRange ? text.lastIndex(of: ":").map { String(text[..<$0]) } ?? text : text
        try self.init(parsing: text, path: path) { $0 == name }
    }

    /// Parses `text`; `isName` says which names the input has, `path` names it in errors.
    public init(parsing text: String, path: String, isName: (String) -> Bool) throws(GenomeIOError) {
        self.text = text
        if isName(text) {
            (name, begin, end) = (text, 0, nil)
            return
        }
        guard let colon = text.lastIndex(of: ":") else {
            throw .badRegion(path: path, region: text, reason: "no record of that name")
        }
        let name = String(text[..<colon])
        guard isName(name) else { throw .badRegion(path: path, region: text, reason: "no record named \(name)") }
        let range = text[text.index(after: colon)...].filter { $0 != "," }
        let parts = range.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        func position(_ part: Substring) -> Int? {
            guard !part.isEmpty, part.count <= 18, part.allSatisfy(\.isASCII), let value = Int(part), value >= 1 else { return nil }
            return value
        }
        guard let first = parts.first.flatMap(position) else {
            throw .badRegion(path: path, region: text, reason: "the start must be a position from 1 (regions are 1-based and inclusive, as samtools writes them)")
        }
        var last: Int?
        if parts.count == 2, !parts[1].isEmpty {
            guard let value = position(parts[1]), value >= first else {
                throw .badRegion(path: path, region: text, reason: "the end must be a position at or after the start")
            }
            last = value
        }
        self.name = name
        begin = first - 1
        end = last
    }
}
