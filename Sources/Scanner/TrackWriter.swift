/// One output format of a scan. Its renderer turns each scored piece into what the writer
/// takes, on the workers' threads, in any order; the writer gets the rendered pieces on the
/// scan's thread in input order and writes them.
protocol TrackWriter: AnyObject {
    associatedtype Renderer: PieceRenderer

    /// The worker-side half of the format.
    var renderer: Renderer { get }
    /// Lines written so far.
    var linesWritten: Int { get }

    /// Writes whatever comes before the first record (a track line).
    func begin() throws(ScannerError)
    /// Writes one piece; pieces come in input order, a record's first piece first.
    func write(_ rendered: Renderer.Rendered, of piece: RenderedPiece) throws(ScannerError)
    /// Writes whatever is left once every piece is written; `tests` is the number of windows
    /// scored, both strands counted.
    func finish(tests: Int) throws(ScannerError)

    /// The strands the format shows when `requested` are asked for.
    func strands(showing requested: StrandChoice) -> StrandChoice
}

extension TrackWriter {
    func strands(showing requested: StrandChoice) -> StrandChoice { requested }
}

/// What a writer needs to know of a piece besides its rendering.
struct RenderedPiece: Sendable {
    let record: String
    let recordIndex: Int
    /// The record's number in the scan's background, or −1.
    var backgroundIndex = -1
    let isFirst: Bool
    /// Set on the record's last piece.
    let recordLength: Int?
    /// The chromosome position of the piece's first window, and how many windows it has.
    let origin: Int
    let windows: Int
    /// The chromosome position just past the piece's last base: the record reaches at least this far.
    let end: Int
}

/// The worker-side half of an output format.
protocol PieceRenderer: Sendable {
    associatedtype Rendered: Sendable
    /// Which windows the format needs reference values for.
    var precision: ScoringPrecision { get }
    func render(_ windows: PieceWindows) -> Rendered
}

/// One piece's scored windows: window k starts at chromosome position `origin + k · step`.
struct PieceWindows {
    let record: String
    let recordIndex: Int
    /// The record's number in the scan's background, or −1.
    var backgroundIndex = -1
    let origin: Int
    let step: Int
    let windowLength: Int
    /// The chromosome position just past the piece's last base.
    let end: Int
    /// Set on the record's last piece.
    let recordLength: Int?
    let scorable: ArraySlice<Bool>
    let forward: ArraySlice<Float>
    let reverse: ArraySlice<Float>
    /// The bases of the piece's work item, and the offset into them of window 0's first base.
    var bases: [UInt8] = []
    var baseOffset = 0
    /// For a report, on the work item's first piece: the logits of every window the item scored.
    var histogram: LogitHistogram?

    var count: Int { scorable.count }

    /// Window k's scorability and probabilities (NaN where not scored).
    func window(_ k: Int) -> (scorable: Bool, forward: Float, reverse: Float) {
        let i = scorable.startIndex + k
        return (scorable[i], forward[i], reverse[i])
    }
}
