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
        struct Run { var first: Int, end: Int, best: Int, bestWindow: Int32, probability: Float, p: Double, reverse: Bool }
        var full: [Run] = [], kept: [Run] = []
        let nextPiece = windows.origin + windows.count * windows.step
        for strand in 0..<2 {
            var open: Run?
            func close() {
                guard let run = open else { return }
                let partial = merge && (run.first < windows.origin + windows.windowLength + windows.step || run.end >= nextPiece)
                if partial { kept.append(run) } else { full.append(run) }
            }
            for k in passing.windows.indices {
                let (p, pValue) = strand == 0 ? (passing.forward[k], passing.forwardP[k]) : (passing.reverse[k], passing.reverseP[k])
                guard !p.isNaN else { continue }
                let start = windows.origin + Int(passing.windows[k]) * windows.step
                if merge, var run = open, start <= run.end {
                    run.end = start + windows.windowLength
                    if p > run.probability { (run.probability, run.best, run.bestWindow) = (p, start, passing.windows[k]) }
                    run.p = min(run.p, pValue)
                    open = run
                } else {
                    close()
                    open = Run(first: start, end: start + windows.windowLength, best: start, bestWindow: passing.windows[k],
                               probability: p, p: pValue, reverse: strand == 1)
                }
            }
            close()
        }
        if full.count > ReportCapture.top {
            full.sort { ($0.p, -$0.probability, $0.best, $0.reverse ? 1 : 0) < ($1.p, -$1.probability, $1.best, $1.reverse ? 1 : 0) }
            full.removeLast(full.count - ReportCapture.top)
        }
        return (kept + full).sorted { ($0.best, $0.reverse ? 1 : 0) < ($1.best, $1.reverse ? 1 : 0) }.map { run in
            let offset = windows.baseOffset + Int(run.bestWindow) * windows.step
            return CapturedWindow(start: run.best, reverse: run.reverse, bases: Array(windows.bases[offset..<(offset + windows.windowLength)]))
        }
    }
}
