/// bedGraph lines of one piece, formatted by a worker (they do not depend on each other),
/// and the lines that may reach past the record's end, which only the writer can clip.
struct BedGraphLines: Sendable {
    var bytes: [UInt8]
    var count: Int
    /// Lines past the piece's end, in order, for a piece that is not the record's last.
    var tail: [BedGraphLine]
}

/// One bedGraph value: [start, end) before clipping to the record.
struct BedGraphLine: Sendable {
    var start: Int
    var end: Int
    var probability: Float
}

/// Formats every scored window of a piece as a bedGraph line: the window's centre ± step/2,
/// clipped to the record.
struct BedGraphRenderer: PieceRenderer {
    let signal: SignalRenderer
    var precision: ScoringPrecision { .exact }

    func render(_ windows: PieceWindows) -> BedGraphLines {
        var text = LineBuffer(capacity: windows.count * 32)
        var count = 0
        let tail = signal.render(windows).lines(recordLength: windows.recordLength, end: windows.end) {
            text.appendBedGraph($0, record: windows.record)
            count += 1
        }
        return BedGraphLines(bytes: text.bytes, count: count, tail: tail)
    }
}

/// UCSC bedGraph of the per-window probability (one strand's, or the larger of the two) at
/// window centres, span = step, never past the record's end.
final class BedGraphWriter: TrackWriter {
    let output: OutputFile
    let name: String
    let trackLine: Bool
    let renderer: BedGraphRenderer
    private(set) var linesWritten = 0
    /// Output of the current record held back behind a line that may need clipping: the
    /// first entry is such a line, and everything after it comes after it in the file.
    private var held: [Held] = []
    private var line = LineBuffer()

    private enum Held {
        case lines(bytes: [UInt8], count: Int)
        case unclipped(BedGraphLine)
    }

    init(output: OutputFile, options: OutputOptions, name: String) {
        self.output = output
        self.name = name
        trackLine = options.trackLine
        renderer = BedGraphRenderer(signal: SignalRenderer(largerStrand: options.largerStrand))
    }

    func strands(showing requested: StrandChoice) -> StrandChoice { renderer.signal.strands(showing: requested) }

    func begin() throws(ScannerError) {
        if trackLine {
            try output.write("track type=bedGraph name=\"\(name)\" description=\"annotate window probability (\(name))\" viewLimits=0:1 autoScale=off\n")
        }
    }

    func write(_ lines: BedGraphLines, of piece: RenderedPiece) throws(ScannerError) {
        if !lines.bytes.isEmpty { held.append(.lines(bytes: lines.bytes, count: lines.count)) }
        held += lines.tail.map { .unclipped($0) }
        // The record reaches at least to this piece's end, or exactly to its length.
        let reach = piece.recordLength ?? piece.end
        var written = 0
        for entry in held {
            if case let .unclipped(value) = entry, piece.recordLength == nil, value.end > reach { break }
            switch entry {
            case let .lines(bytes, count):
                try output.write(bytes: bytes)
                linesWritten += count
            case let .unclipped(value):
                line.removeAll()
                if line.appendBedGraph(value, record: piece.record, clippedTo: reach) {
                    try output.write(bytes: line.bytes)
                    linesWritten += 1
                }
            }
            written += 1
        }
        held.removeFirst(written)
    }

    func finish(tests: Int) throws(ScannerError) {}
}
