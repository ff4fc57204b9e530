import Foundation
import GenomeIO
import Model
import Scoring
import TestSupport
import Testing
import Tracks

/// The writers against naive references: windows handed over in pieces of any size give the
/// lines a whole-record computation gives.
@Suite struct TrackWriterTests {
    /// One record's scored windows at `step`: window k starts at k · step; NaN where not scored.
    struct Record {
        let name: String
        let length: Int
        let forward: [Float]
        let reverse: [Float]
    }

    static func records(seed: UInt32, step: Int, windowLength: Int = 50) -> [Record] {
        var random = MersenneTwister(seed: seed)
        return [1_000, 49, 137, 2_000].enumerated().map { number, length in
            let count = length >= windowLength ? (length - windowLength) / step + 1 : 0
            func value() -> Float {
                switch random.nextInt(through: 9) {
                case 0: .nan
                case 1...6: Float(random.nextDouble() * 0.4)
                default: Float(0.4 + random.nextDouble() * 0.6)
                }
            }
            return Record(name: "chr\(number)", length: length, forward: (0..<count).map { _ in value() }, reverse: (0..<count).map { _ in value() })
        }
    }

    /// Cuts each record's windows into pieces at random and hands them to `write`.
    static func feed(_ records: [Record], step: Int, seed: UInt32,
                     _ write: (RenderedPiece, Range<Int>) throws -> Void) rethrows {
        var random = MersenneTwister(seed: seed)
        for (number, record) in records.enumerated() {
            var first = 0
            repeat {
                let last = min(record.forward.count, first + 1 + random.nextInt(through: 40))
                let piece = RenderedPiece(record: record.name, recordIndex: number, isFirst: first == 0,
                                          recordLength: last == record.forward.count ? record.length : nil, origin: first * step,
                                          windows: last - first, end: last == record.forward.count ? record.length : (last - 1) * step + 50)
                try write(piece, first..<last)
                first = last
            } while first < record.forward.count
        }
    }

    static func output(_ body: (OutputFile) throws -> Void) throws -> String {
        let path = try Scratch.directory().appendingPathComponent("track").path
        let file = try OutputFile(path: path)
        try body(file)
        try file.commit()
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    /// BED regions: each strand's windows at or above the threshold merged where they
    /// overlap or touch, sorted by start, end and strand, as a whole-record merge gives them.
    @Test(arguments: [1, 7, 50, 61])
    func regionsAreTheWholeRecordsMerge(step: Int) throws {
        let records = TrackWriterTests.records(seed: UInt32(step), step: step)
        for merge in [true, false] {
            var options = OutputOptions()
            options.statistics = false
            options.merge = merge
            let text = try TrackWriterTests.output { file in
                let writer = try RegionWriter<BEDFormat>(output: file, options: options, name: "m", geometry: WindowGeometry(length: 50, step: step))
                try writer.begin()
                try TrackWriterTests.feed(records, step: step, seed: 9) { piece, windows in
                    var passing = PassingWindows()
                    for k in windows {
                        let (f, r) = (records[piece.recordIndex].forward[k], records[piece.recordIndex].reverse[k])
                        guard f >= 0.5 || r >= 0.5 else { continue }
                        passing.windows.append(Int32(k - windows.lowerBound))
                        passing.forward.append(f >= 0.5 ? f : .nan)
                        passing.reverse.append(r >= 0.5 ? r : .nan)
                        passing.forwardP.append(1)
                        passing.reverseP.append(1)
                    }
                    try writer.write(passing, of: piece)
                }
                try writer.finish(tests: 0)
            }
            #expect(text == TrackWriterTests.naiveBED(records, step: step, merge: merge), "step \(step), merge \(merge)")
        }
    }

    static func naiveBED(_ records: [Record], step: Int, merge: Bool) -> String {
        var text = ""
        for record in records {
            var regions: [(start: Int, end: Int, strand: Int, p: Float)] = []
            for (strand, values) in [record.forward, record.reverse].enumerated() {
                var open: (start: Int, end: Int, strand: Int, p: Float)?
                for (k, p) in values.enumerated() where p >= 0.5 {
                    let start = k * step
                    if merge, let current = open, start <= current.end {
                        open = (current.start, start + 50, strand, max(current.p, p))
                    } else {
                        if let current = open { regions.append(current) }
                        open = (start, start + 50, strand, p)
                    }
                }
                if let current = open { regions.append(current) }
            }
            for region in regions.sorted(by: { ($0.start, $0.end, $0.strand) < ($1.start, $1.end, $1.strand) }) {
                let score = Int((Double(region.p) * 1000).rounded(.toNearestOrAwayFromZero))
                text += "\(record.name)\t\(region.start)\t\(region.end)\tm\t\(score)\t\(region.strand == 0 ? "+" : "-")\t"
                text += String(format: "%.4f", Double(region.p)) + "\n"
            }
        }
        return text
    }

    /// bedGraph: every scored window's + strand value at its centre ± step/2, clipped to the
    /// record, whatever the pieces.
    @Test(arguments: [1, 4, 7, 50, 61])
    func bedGraphLinesAreClippedToTheRecord(step: Int) throws {
        let records = TrackWriterTests.records(seed: 100 + UInt32(step), step: step)
        let text = try TrackWriterTests.output { file in
            let writer = BedGraphWriter(output: file, options: OutputOptions(), name: "m")
            let renderer = writer.renderer
            try writer.begin()
            try TrackWriterTests.feed(records, step: step, seed: 3) { piece, windows in
                let record = records[piece.recordIndex]
                // One range of indices into the record's windows, as a scan's pieces slice one stretch.
                let scorable = record.forward.map { !$0.isNaN }
                let rendered = renderer.render(PieceWindows(
                    record: record.name, recordIndex: piece.recordIndex, backgroundIndex: -1, origin: piece.origin, step: step,
                    windowLength: 50, end: piece.end, recordLength: piece.recordLength, scorable: scorable[windows],
                    forward: record.forward[windows], reverse: record.reverse[windows], bases: [], baseOffset: 0, histogram: nil))
                try writer.write(rendered, of: piece)
            }
            try writer.finish(tests: 0)
        }
        var expected = ""
        for record in records {
            // Both strands scored: the larger of the two.
            for (k, p) in zip(record.forward, record.reverse).map({ Float.maximum($0, $1) }).enumerated() where !record.forward[k].isNaN {
                let start = k * step + 25 - step / 2
                let end = min(start + step, record.length)
                if end > max(0, start) { expected += "\(record.name)\t\(max(0, start))\t\(end)\t" + String(format: "%.4f", Double(p)) + "\n" }
            }
        }
        #expect(text == expected, "step \(step)")
    }
}
