import BrowserFormats

/// The per-window values of one piece, as a worker finds them: value k covers
/// [first + k·step, first + (k + 1)·step), the window's centre ± step/2, before clipping
/// to the record; NaN where the window was not scored. 4 bytes a window: at step 1, the
/// pieces in flight hold a few MB of values.
struct SignalValues: Sendable {
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
/// bedGraph's values, and the bigWig's): one strand's probability, or the larger of the
/// two strands'.
struct SignalRenderer: PieceRenderer {
    var largerStrand = false
    var precision: ScoringPrecision { .exact }

    /// Both strands for the larger of the two; else one: + unless only − is asked for.
    func strands(showing requested: StrandChoice) -> StrandChoice {
        largerStrand ? .both : requested == .both ? .forward : requested
    }

    func render(_ windows: PieceWindows) -> SignalValues {
        let values = (0..<windows.count).map { k -> Float in
            let (scorable, forward, reverse) = windows.window(k)
            guard scorable else { return .nan }
            return largerStrand ? Float.maximum(forward, reverse) : forward.isNaN ? reverse : forward
        }
        return SignalValues(first: windows.origin + windows.windowLength / 2 - windows.step / 2, step: windows.step, values: values)
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
