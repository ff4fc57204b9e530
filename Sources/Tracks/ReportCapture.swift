/// A window whose bases a scan report may show: the best window of a run of passing windows.
package struct CapturedWindow: Sendable {
    let start: Int
    let reverse: Bool
    /// Its bases on the forward strand.
    let bases: [UInt8]
}

/// What the renderer gathers for a report: the logits of every window, and the bases of
/// the windows that may become the report's top regions.
struct ReportCapture: Sendable {
    /// Whether the scan merges windows into regions (else each window is one).
    let merge: Bool
    /// The full runs kept per piece, best first.
    static let top = 20

    /// The best window of each run of passing windows on a strand that could be the best
    /// window of one of the scan's `top` best regions.
    ///
    /// A run is what the writer merges within this piece: a region, or (at the piece's ends,
    /// "partial") part of one that goes on into the next or previous piece. Partial runs are
    /// always kept; of the others, the `top` best by the writer's order (smallest p-value,
    /// then highest probability). A full run left out has `top` better regions in this piece
    /// alone, so it cannot be among the scan's `top`.
    func capture(_ passing: PassingWindows, of windows: PieceWindows) -> [CapturedWindow] {
        var full: [PassingRun] = [], kept: [PassingRun] = []
        let nextPiece = windows.origin + windows.count * windows.step
        for run in passing.runs(origin: windows.origin, step: windows.step, windowLength: windows.windowLength, merge: merge) {
            let partial = merge && (run.first < windows.origin + windows.windowLength + windows.step || run.end >= nextPiece)
            if partial { kept.append(run) } else { full.append(run) }
        }
        if full.count > ReportCapture.top {
            full.sort { ($0.p, -$0.probability, $0.best, $0.reverse ? 1 : 0) < ($1.p, -$1.probability, $1.best, $1.reverse ? 1 : 0) }
            full.removeLast(full.count - ReportCapture.top)
        }
        return (kept + full).sorted { ($0.best, $0.reverse ? 1 : 0) < ($1.best, $1.reverse ? 1 : 0) }.map { run in
            let offset = windows.baseOffset + Int(passing.windows[run.bestIndex]) * windows.step
            return CapturedWindow(start: run.best, reverse: run.reverse, bases: Array(windows.bases[offset..<(offset + windows.windowLength)]))
        }
    }
}
