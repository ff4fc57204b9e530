/// Whole lines out of bytes that arrive in pieces of any size: what the outputs that
/// convert lines (BGZF with its index, bigBed) take them as.
struct LineSplitter {
    /// The start of a line cut by the end of the last piece.
    private var partial: [UInt8] = []

    /// Calls `body` with each whole line of `bytes`, its newline included; a line cut by the
    /// end of `bytes` is joined to its rest when that comes.
    mutating func split(_ bytes: some Sequence<UInt8>, _ body: (ArraySlice<UInt8>) throws(GenomeIOError) -> Void) throws(GenomeIOError) {
        let chunk = Array(bytes)
        var start = 0
        while let newline = chunk[start...].firstIndex(of: 0x0A) {
            if partial.isEmpty {
                try body(chunk[start...newline])
            } else {
                partial += chunk[start...newline]
                try body(partial[...])
                partial.removeAll(keepingCapacity: true)
            }
            start = newline + 1
        }
        partial += chunk[start...]
    }

    /// Whether `line` is a track's header line (track, browser or `#`): tabix's skipped and
    /// comment lines, which bigBed leaves out.
    static func isHeader(_ line: ArraySlice<UInt8>) -> Bool {
        line.starts(with: "track".utf8) || line.starts(with: "browser".utf8) || line.first == UInt8(ascii: "#")
    }

    /// A line's chromosome, start and end (the first three tab-separated columns).
    static func interval(_ line: ArraySlice<UInt8>) -> (name: ArraySlice<UInt8>, begin: Int, end: Int)? {
        guard let firstTab = line.firstIndex(of: 0x09) else { return nil }
        var i = firstTab + 1
        func number() -> Int? {
            var value = 0, digits = 0
            while i < line.endIndex, line[i] >= 0x30, line[i] <= 0x39, digits < 18 {
                value = value * 10 + Int(line[i] - 0x30)
                digits += 1
                i += 1
            }
            guard digits > 0, i < line.endIndex, line[i] == 0x09 || line[i] == 0x0A else { return nil }
            i += 1
            return value
        }
        guard let begin = number(), let end = number() else { return nil }
        return (line[line.startIndex..<firstTab], begin, end)
    }
}
