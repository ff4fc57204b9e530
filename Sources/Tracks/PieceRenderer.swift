import Scoring

/// The worker-side half of an output format.
package protocol PieceRenderer: Sendable {
    associatedtype Rendered: Sendable
    /// Which windows the format needs reference values for.
    var precision: ScoringPrecision { get }
    func render(_ windows: PieceWindows) -> Rendered
}

/// One piece's scored windows: window k starts at chromosome position `origin + k · step`.
package struct PieceWindows {
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

    /// The windows of a piece of record `record` (number `recordIndex` of the scan) with
    /// their scores; `bases` and `histogram` are for a scan report.
    package init(record: String, recordIndex: Int, backgroundIndex: Int, origin: Int, step: Int, windowLength: Int, end: Int,
                 recordLength: Int?, scorable: ArraySlice<Bool>, forward: ArraySlice<Float>, reverse: ArraySlice<Float>,
                 bases: [UInt8], baseOffset: Int, histogram: LogitHistogram?) {
        (self.record, self.recordIndex, self.backgroundIndex, self.origin) = (record, recordIndex, backgroundIndex, origin)
        (self.step, self.windowLength, self.end, self.recordLength) = (step, windowLength, end, recordLength)
        (self.scorable, self.forward, self.reverse) = (scorable, forward, reverse)
        (self.bases, self.baseOffset, self.histogram) = (bases, baseOffset, histogram)
    }

    var count: Int { scorable.count }

    /// Window k's scorability and probabilities (NaN where not scored).
    func window(_ k: Int) -> (scorable: Bool, forward: Float, reverse: Float) {
        let i = scorable.startIndex + k
        return (scorable[i], forward[i], reverse[i])
    }
}
