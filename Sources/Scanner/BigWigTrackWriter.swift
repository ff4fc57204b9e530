import BrowserFormats

/// The per-window values of one piece, as a worker finds them: window centre ± step/2, and
/// the values that may reach past the record's end (only the writer can clip them).
struct SignalValues: Sendable {
    var values: [BedGraphLine] = []
    /// Set when the piece is not the record's last and its last values may pass its end.
    var tail: [BedGraphLine] = []
}

/// Every scored window of a piece as a value at the window's centre ± step/2, clipped to
/// the record (the bedGraph's values, and the bigWig's): one strand's probability, or the
/// larger of the two strands'.
struct SignalRenderer: PieceRenderer {
    var largerStrand = false
    var precision: ScoringPrecision { .exact }

    /// Both strands for the larger of the two; else one: + unless only − is asked for.
    func strands(showing requested: StrandChoice) -> StrandChoice {
        largerStrand ? .both : requested == .both ? .forward : requested
    }

    func render(_ windows: PieceWindows) -> SignalValues {
        var out = SignalValues()
        for k in 0..<windows.count {
            let (scorable, forward, reverse) = windows.window(k)
            let p = largerStrand ? Float.maximum(forward, reverse) : forward.isNaN ? reverse : forward
            guard scorable, !p.isNaN else { continue }
            let start = max(0, windows.origin + k * windows.step + windows.windowLength / 2 - windows.step / 2)
            var line = BedGraphLine(start: start, end: start + windows.step, probability: p)
            if let length = windows.recordLength {
                line.end = min(line.end, length)
                if line.end > line.start { out.values.append(line) }
            } else if line.end <= windows.end {
                out.values.append(line)
            } else {
                out.tail.append(line)
            }
        }
        return out
    }
}

/// A bigWig of the values the bedGraph writes (`BigWigWriter`): the probability to the 4
/// decimals the bedGraph prints, so that the two tracks agree and runs of equal values
/// compress. It is written into a file that is patched at the end, with the zoom levels
/// and the section index held in scratch files until then.
final class BigWigTrackWriter: TrackWriter {
    let renderer: SignalRenderer
    private(set) var linesWritten = 0
    private let writer: BigWigWriter
    private let file: PatchedFile
    /// Values of the current record that wait for its length (they may pass its end).
    private var waiting: [BedGraphLine] = []
    /// The record being written (a record's first pieces may all start at 0, when a
    /// short first piece is carried whole into the next).
    private var recordIndex = -1

    init(output: OutputFile, step: Int, largerStrand: Bool) throws(ScannerError) {
        renderer = SignalRenderer(largerStrand: largerStrand)
        file = PatchedFile(output)
        let name = output.name
        do {
            writer = try BigWigWriter(output: file, firstReduction: 10 * step) { try ScratchFile(purpose: "bigWig index") }
        } catch {
            throw .writeFailed(path: name, reason: "\(error)")
        }
    }

    func strands(showing requested: StrandChoice) -> StrandChoice { renderer.strands(showing: requested) }

    func begin() throws(ScannerError) {}

    func write(_ values: SignalValues, of piece: RenderedPiece) throws(ScannerError) {
        try file.run { () throws in
            if piece.recordIndex != recordIndex {
                recordIndex = piece.recordIndex
                try writer.beginChromosome(piece.record)
            }
            let reach = piece.recordLength ?? piece.end
            // The held values come before this piece's, and all are in order.
            let held = waiting + values.values
            waiting = []
            if let length = piece.recordLength {
                for var line in held + values.tail where line.start < length {
                    line.end = min(line.end, length)
                    try add(line)
                }
                try writer.endChromosome(length: length)
            } else {
                var next = 0
                while next < held.count, held[next].end <= reach {
                    try add(held[next])
                    next += 1
                }
                waiting = Array(held[next...]) + values.tail
            }
        }
    }

    private func add(_ line: BedGraphLine) throws {
        try writer.add(start: line.start, end: line.end, value: Float(Double(LineBuffer.tenThousandths(line.probability)) / 10_000))
        linesWritten += 1
    }

    func finish(tests: Int) throws(ScannerError) {
        try file.run { () throws in try writer.finish() }
    }
}

/// An `OutputFile` as the bigWig and bigBed writers see it: appended to, and patched at the
/// end. It does not keep the file alive (a bigBed's file owns the writer that owns this).
final class PatchedFile: PatchableOutput {
    unowned let file: OutputFile
    private(set) var position = 0

    init(_ file: OutputFile) { self.file = file }

    func append(_ bytes: [UInt8]) throws {
        try file.writeRaw(bytes)
        position += bytes.count
    }

    func patch(at offset: Int, _ bytes: [UInt8]) throws { try file.patch(at: offset, bytes) }

    /// Runs `body`, turning its errors into the scan's.
    func run(_ body: () throws -> Void) throws(ScannerError) {
        do { try body() } catch let error as ScannerError { throw error } catch {
            throw .writeFailed(path: file.name, reason: "\(error)")
        }
    }
}
