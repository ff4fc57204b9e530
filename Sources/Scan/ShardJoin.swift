import GenomeIO
import Model
import Tracks

/// Lays the shards' windows end to end into one region writer.
struct ShardJoin {
    let options: ShardOptions
    let file: OutputFile
    private let writer: any RegionTrackWriter
    private var record = -1, name = "", ended = true, startsRecord = false
    private var lastStart = -1
    private var batch = PassingWindows(), origin = 0
    private var summary = ScanSummary()

    init(options: ShardOptions, file: OutputFile) throws(GenomeIOError) {
        self.options = options
        self.file = file
        let output = options.output, name = output.name ?? ""
        let (geometry, holding, sites) = (options.geometry, output.statistics, options.sites)
        switch output.format {
        case .narrowpeak:
            writer = try RegionWriter<NarrowPeakFormat>(output: file, options: output, name: name, geometry: geometry, holding: holding, showsSites: sites)
        case .tsv:
            writer = try RegionWriter<TSVFormat>(output: file, options: output, name: name, geometry: geometry, holding: holding, showsSites: sites)
        case .gff3:
            writer = try RegionWriter<GFF3Format>(output: file, options: output, name: name, geometry: geometry, holding: holding, showsSites: sites)
        default:
            if output.format == .bigbed { try BEDFormat.startBigBed(in: file, statistics: output.statistics, sites: sites) }
            writer = try RegionWriter<BEDFormat>(output: file, options: output, name: name, geometry: geometry, holding: holding, showsSites: sites)
        }
        try writer.begin()
    }

    mutating func read(_ reader: FieldReader) throws(GenomeIOError) {
        let statistics = options.output.statistics, step = options.geometry.step, sites = options.sites
        let fieldCount = 4 + (statistics ? 2 : 0) + (sites ? 2 : 0)
        while let fields = try reader.next() {
            switch fields[0] {
            case "w":
                guard !ended, fields.count == fieldCount, let start = Int(fields[1]), start > lastStart, start < 1 << 48, start % step == 0,
                      let forward = ShardJoin.probability(fields[2]), let reverse = ShardJoin.probability(fields[3]) else {
                    throw reader.fail("not a window of the record that goes on here (w START FORWARD REVERSE\(statistics ? " FORWARD_P REVERSE_P" : "")\(sites ? " FORWARD_SITE REVERSE_SITE" : ""), starts increasing)")
                }
                var (forwardP, reverseP) = (1.0, 1.0)
                if statistics {
                    guard let f = Double(fields[4]), let r = Double(fields[5]), f >= 0, f <= 1, r >= 0, r <= 1 else { throw reader.fail("a p-value is between 0 and 1") }
                    (forwardP, reverseP) = (f, r)
                }
                var (forwardSite, reverseSite) = (LocatedSite.none, LocatedSite.none)
                if sites {
                    guard let f = LocatedSite(shardText: fields[fieldCount - 2]), let r = LocatedSite(shardText: fields[fieldCount - 1]) else {
                        throw reader.fail("a site is START,SEQUENCE (ACGTN, up to 64 bases) or .")
                    }
                    (forwardSite, reverseSite) = (f, r)
                }
                if batch.windows.isEmpty { origin = start }
                if (start - origin) / step > Int(Int32.max) || batch.windows.count >= 4096 {
                    try flush(length: nil)
                    origin = start
                }
                batch.windows.append(Int32((start - origin) / step))
                batch.forward.append(forward)
                batch.reverse.append(reverse)
                batch.forwardP.append(forwardP)
                batch.reverseP.append(reverseP)
                if sites {
                    batch.forwardSite.append(forwardSite)
                    batch.reverseSite.append(reverseSite)
                }
                lastStart = start
            case "record":
                guard fields.count == 3, let number = Int(fields[1]) else { throw reader.fail("a record line is: record NUMBER NAME") }
                if number == record, !ended, fields[2] == name { continue }
                guard number == record + 1, ended else {
                    throw reader.fail("record \(MessageText.shown(String(fields[2]), limit: 60)) (number \(number + 1)) does not follow record number \(record + 1): a shard is missing or out of order")
                }
                (record, name, ended, startsRecord, lastStart) = (number, String(fields[2]), false, true, -1)
            case "length":
                guard fields.count == 3, Int(fields[1]) == record, !ended, let length = Int(fields[2]), length >= 0, length < 1 << 48 else {
                    throw reader.fail("a length line is: length NUMBER LENGTH, for the record that goes on here")
                }
                try flush(length: length)
                ended = true
                summary.records += 1
                summary.bases += length
            case "tests":
                guard fields.count == 2, let tests = Int(fields[1]), tests >= 0 else { throw reader.fail("a tests line is: tests N") }
                summary.windowsScored += tests
                guard let end = try reader.next(), end.count == 2, end[0] == "end", Int(end[1]) == reader.line else {
                    throw reader.fail("expected the end line: the shard file is incomplete")
                }
                guard try reader.next() == nil else { throw reader.fail("lines after the end line") }
                try flush(length: nil)
                return
            default:
                throw reader.fail("not a line of a shard file: \(MessageText.shown(fields.joined(separator: " "), limit: 60))")
            }
        }
        throw reader.fail("the file ends before its tests and end lines: the shard file is incomplete")
    }

    /// Hands the windows gathered to the writer, as one piece; with `length`, the record's last.
    private mutating func flush(length: Int?) throws(GenomeIOError) {
        guard record >= 0, !ended, !batch.windows.isEmpty || length != nil || startsRecord else { return }
        let windows = batch.windows.last.map { Int($0) + 1 } ?? 0
        let piece = RenderedPiece(record: name, recordIndex: record, isFirst: startsRecord, recordLength: length, origin: origin,
                                  windows: windows, end: origin + windows * options.geometry.step)
        try writer.write(batch, of: piece)
        startsRecord = false
        batch = PassingWindows()
    }

    func finish() throws(GenomeIOError) -> ScanSummary {
        guard ended, record >= 0 else {
            throw GenomeIOError.badPart(path: file.name, line: nil, reason: "the shards end inside record \(MessageText.shown(name, limit: 60)): a shard is missing or incomplete")
        }
        var summary = self.summary
        try writer.finish(tests: summary.windowsScored)
        let report = writer.report
        summary.linesWritten = writer.linesWritten
        if let report, let decoys = options.decoyWindows {
            summary.decoyWindows = decoys
            summary.expectedFalse = report.expectedFalse
        }
        return summary
    }

    private static func probability(_ field: Substring) -> Float? {
        if field == "." { return .nan }
        guard let value = Float(field), value >= 0, value <= 1 else { return nil }
        return value
    }
}
