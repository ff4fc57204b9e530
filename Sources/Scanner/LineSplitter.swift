/// Whole lines out of bytes that arrive in pieces of any size: what the outputs that
/// convert lines (BGZF with its index, bigBed) take them as.
struct LineSplitter {
    /// The start of a line cut by the end of the last piece.
    private var partial: [UInt8] = []

    /// Calls `body` with each whole line of `bytes`, its newline included; a line cut by the
    /// end of `bytes` is joined to its rest when that comes.
    mutating func split(_ bytes: some Sequence<UInt8>, _ body: (ArraySlice<UInt8>) throws(ScannerError) -> Void) throws(ScannerError) {
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
}
