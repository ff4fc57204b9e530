import Scoring

/// The windows of a piece that pass on a strand: indices into the piece's windows,
/// ascending, with both strands' probabilities (NaN where not scored or not passing) and
/// p-values (1 without statistics).
package struct PassingWindows: Sendable {
    package var windows: [Int32] = []
    package var forward: [Float] = []
    package var reverse: [Float] = []
    package var forwardP: [Double] = []
    package var reverseP: [Double] = []
    /// For a report: the logits of the scored windows (of the whole work item, on its first
    /// piece), and the windows the report may show.
    var histogram: LogitHistogram?
    var captured: [CapturedWindow] = []

    package init() {}
}
