import GenomeIO
import Scoring

/// UCSC bedGraph of the per-window probability (one strand's, or the larger of the two) at
/// window centres, span = step, never past the record's end.
package final class BedGraphWriter: TrackWriter {
    let output: OutputFile
    let name: String
    let trackLine: Bool
    package let renderer: BedGraphRenderer
    package private(set) var linesWritten = 0
    /// Output of the current record held back behind a line that may need clipping: the
    /// first entry is such a line, and everything after it comes after it in the file.
    private var held: [Held] = []
    private var line = LineBuffer()

    private enum Held {
        case lines(bytes: [UInt8], count: Int)
        case unclipped(BedGraphLine)
    }

    package init(output: OutputFile, options: OutputOptions, name: String) {
        self.output = output
        self.name = name
        trackLine = options.trackLine
        renderer = BedGraphRenderer(signal: SignalRenderer())
    }

    package func strands(showing requested: StrandChoice) -> StrandChoice { renderer.signal.strands(showing: requested) }

    package func begin() throws(GenomeIOError) {
        if trackLine {
            try output.write("track type=bedGraph name=\"\(name)\" description=\"annotate window probability (\(name))\" viewLimits=0:1 autoScale=off\n")
        }
    }

    package func write(_ lines: BedGraphLines, of piece: RenderedPiece) throws(GenomeIOError) {
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

    package func finish(tests: Int) throws(GenomeIOError) {}
}
