import Model
import Scoring
import Tracks

/// One piece of a work item, scored and rendered, with what it adds to the summary.
struct RenderedEntry<Rendered: Sendable>: Sendable {
    let piece: RenderedPiece
    let rendered: Rendered
    /// Bases the piece adds (its overlap with the previous piece was counted there).
    let bases: Int
    /// Windows scored, both strands counted.
    let scored: Int
}

extension WorkItem {
    /// Scores the item (on a worker thread) and renders each of its pieces.
    func scored<Renderer: PieceRenderer>(scorer: any WindowScorer, strands: StrandChoice, skipSoftMasked: Bool,
                                         precision: ScoringPrecision, renderer: Renderer) -> [RenderedEntry<Renderer.Rendered>] {
        let stretch = bases.withUnsafeBufferPointer { bases in
            ScoredStretch(bases: bases, geometry: geometry, firstWindow: firstWindow, scorer: scorer,
                          strands: strands, skipSoftMasked: skipSoftMasked, precision: precision)
        }
        let strandCount = strands == .both ? 2 : 1
        return pieces.enumerated().map { k, piece in
            let (range, origin) = windows(of: piece)
            let windows = PieceWindows(record: piece.record, recordIndex: piece.recordIndex, backgroundIndex: piece.backgroundIndex,
                                       origin: origin, step: geometry.step,
                                       windowLength: geometry.length, end: piece.start + piece.count,
                                       recordLength: piece.recordLength,
                                       scorable: stretch.scorable[range], forward: stretch.forward[range],
                                       reverse: stretch.reverse[range], bases: bases,
                                       baseOffset: firstWindow + range.lowerBound * geometry.step,
                                       histogram: k == 0 ? stretch.histogram : nil)
            return RenderedEntry(piece: RenderedPiece(record: piece.record, recordIndex: piece.recordIndex, backgroundIndex: piece.backgroundIndex,
                                                      isFirst: piece.isFirst, recordLength: piece.recordLength,
                                                      origin: origin, windows: range.count, end: piece.start + piece.count),
                                 rendered: renderer.render(windows), bases: piece.count - piece.overlap,
                                 scored: stretch.scorable[range].count { $0 } * strandCount)
        }
    }
}
