import GenomeIO
import Scoring

/// One output format of a scan. Its renderer turns each scored piece into what the writer
/// takes, on the workers' threads, in any order; the writer gets the rendered pieces on the
/// scan's thread in input order and writes them.
package protocol TrackWriter: AnyObject {
    associatedtype Renderer: PieceRenderer

    /// The worker-side half of the format.
    var renderer: Renderer { get }
    /// Lines written so far.
    var linesWritten: Int { get }

    /// Writes whatever comes before the first record (a track line).
    func begin() throws(GenomeIOError)
    /// Writes one piece; pieces come in input order, a record's first piece first.
    func write(_ rendered: Renderer.Rendered, of piece: RenderedPiece) throws(GenomeIOError)
    /// Writes whatever is left once every piece is written; `tests` is the number of windows
    /// scored, both strands counted.
    func finish(tests: Int) throws(GenomeIOError)

    /// The strands the format shows when `requested` are asked for.
    func strands(showing requested: StrandChoice) -> StrandChoice
}

extension TrackWriter {
    package func strands(showing requested: StrandChoice) -> StrandChoice { requested }
}

/// What a writer needs to know of a piece besides its rendering.
package struct RenderedPiece: Sendable {
    package let record: String
    package let recordIndex: Int
    /// The record's number in the scan's background, or −1.
    var backgroundIndex = -1
    let isFirst: Bool
    /// Set on the record's last piece.
    package let recordLength: Int?
    /// The chromosome position of the piece's first window, and how many windows it has.
    package let origin: Int
    let windows: Int
    /// The chromosome position just past the piece's last base: the record reaches at least this far.
    package let end: Int

    package init(record: String, recordIndex: Int, backgroundIndex: Int = -1, isFirst: Bool, recordLength: Int?, origin: Int,
                 windows: Int, end: Int) {
        (self.record, self.recordIndex, self.backgroundIndex, self.isFirst) = (record, recordIndex, backgroundIndex, isFirst)
        (self.recordLength, self.origin, self.windows, self.end) = (recordLength, origin, windows, end)
    }
}
