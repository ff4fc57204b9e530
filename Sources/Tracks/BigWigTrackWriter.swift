import BrowserFormats
import GenomeIO
import Scoring

/// A bigWig of the values the bedGraph writes (`BigWigWriter`): the probability to the 4
/// decimals the bedGraph prints, so that the two tracks agree and runs of equal values
/// compress. It is written into a file that is patched at the end, with the zoom levels
/// and the section index held in scratch files until then.
package final class BigWigTrackWriter: TrackWriter {
    package let renderer: SignalRenderer
    package private(set) var linesWritten = 0
    private let writer: BigWigWriter
    private let file: PatchedFile
    /// Values of the current record that wait for its length (they may pass its end).
    private var waiting: [BedGraphLine] = []
    /// The record being written (a record's first pieces may all start at 0, when a
    /// short first piece is carried whole into the next).
    private var recordIndex = -1

    package init(output: OutputFile, step: Int) throws(GenomeIOError) {
        renderer = SignalRenderer()
        file = PatchedFile(output)
        let name = output.name
        do {
            writer = try BigWigWriter(output: file, firstReduction: 10 * step) { try ScratchFile(purpose: "bigWig index") }
        } catch {
            throw .writeFailed(path: name, reason: "\(error)")
        }
    }

    package func strands(showing requested: StrandChoice) -> StrandChoice { renderer.strands(showing: requested) }

    package func begin() throws(GenomeIOError) {}

    package func write(_ values: SignalValues, of piece: RenderedPiece) throws(GenomeIOError) {
        try file.run { () throws in
            if piece.recordIndex != recordIndex {
                recordIndex = piece.recordIndex
                try writer.beginChromosome(piece.record)
            }
            // The held values come before this piece's; they reach past the last piece's
            // end, so they wait for this one's end or the record's length.
            let reach = piece.recordLength ?? piece.end
            var held = waiting[...]
            while let line = held.first, line.end <= reach || piece.recordLength != nil {
                if line.start < reach { try add(BedGraphLine(start: line.start, end: min(line.end, reach), probability: line.probability)) }
                held = held.dropFirst()
            }
            let tail = try values.lines(recordLength: piece.recordLength, end: piece.end) { try add($0) }
            waiting = Array(held) + tail
            if let length = piece.recordLength { try writer.endChromosome(length: length) }
        }
    }

    private func add(_ line: BedGraphLine) throws {
        try writer.add(start: line.start, end: line.end, value: Float(Double(LineBuffer.tenThousandths(line.probability)) / 10_000))
        linesWritten += 1
    }

    package func finish(tests: Int) throws(GenomeIOError) {
        try file.run { () throws in try writer.finish() }
    }
}
