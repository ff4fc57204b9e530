import GenomeIO
import Scoring

/// bedGraph lines of one piece, formatted by a worker (they do not depend on each other),
/// and the lines that may reach past the record's end, which only the writer can clip.
package struct BedGraphLines: Sendable {
    var bytes: [UInt8]
    var count: Int
    /// Lines past the piece's end, in order, for a piece that is not the record's last.
    var tail: [BedGraphLine]
}

/// Formats every scored window of a piece as a bedGraph line: the window's centre ± step/2,
/// clipped to the record.
package struct BedGraphRenderer: PieceRenderer {
    let signal: SignalRenderer
    package var precision: ScoringPrecision { .exact }

    package func render(_ windows: PieceWindows) -> BedGraphLines {
        var text = LineBuffer(capacity: windows.count * 32)
        var count = 0
        let tail = signal.render(windows).lines(recordLength: windows.recordLength, end: windows.end) {
            text.appendBedGraph($0, record: windows.record)
            count += 1
        }
        return BedGraphLines(bytes: text.bytes, count: count, tail: tail)
    }
}
