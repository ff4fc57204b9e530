import Scoring

/// The per-window values of one piece, as a worker finds them: value k covers
/// [first + k·step, first + (k + 1)·step), the window's centre ± step/2, before clipping
/// to the record; NaN where the window was not scored. 4 bytes a window: at step 1, the
/// pieces in flight hold a few MB of values.
package struct SignalValues: Sendable {
    let first: Int
    let step: Int
    var values: [Float]

    /// Each value's interval, clipped to [0, `recordLength`) on a record's last piece; on
    /// another piece, the intervals that reach past `end` (which only the next pieces can
    /// clip) are returned instead, in order.
    func lines(recordLength: Int?, end: Int, _ body: (BedGraphLine) throws -> Void) rethrows -> [BedGraphLine] {
        var tail: [BedGraphLine] = []
        for (k, value) in values.enumerated() where !value.isNaN {
            let start = first + k * step
            var line = BedGraphLine(start: max(0, start), end: start + step, probability: value)
            if let recordLength {
                line.end = min(line.end, recordLength)
                if line.end > line.start { try body(line) }
            } else if line.end <= end {
                try body(line)
            } else {
                tail.append(line)
            }
        }
        return tail
    }
}

/// Every scored window of a piece as a value at the window's centre ± step/2 (the
/// bedGraph's values, and the bigWig's): with both strands scored, the larger of their
/// probabilities (a site on either strand shows), else the one strand's.
package struct SignalRenderer: PieceRenderer {
    package init() {}
    package var precision: ScoringPrecision { .exact }

    /// The strands scored are the strands shown.
    package func strands(showing requested: StrandChoice) -> StrandChoice { requested }

    package func render(_ windows: PieceWindows) -> SignalValues {
        let values = (0..<windows.count).map { k -> Float in
            let (scorable, forward, reverse) = windows.window(k)
            guard scorable else { return .nan }
            // A strand that is not scored is NaN, which `maximum` passes over.
            return Float.maximum(forward, reverse)
        }
        return SignalValues(first: windows.origin + windows.windowLength / 2 - windows.step / 2, step: windows.step, values: values)
    }
}
