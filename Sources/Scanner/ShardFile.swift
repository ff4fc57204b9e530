import Model

/// What `scan --shard I/N` writes for the BED-family formats: the windows of its shard that
/// pass, with their exact probabilities (and p-values, against the whole genome's
/// background), for `merge` to turn into exactly the output of one scan of the whole
/// genome: regions are merged only once the shards' windows are laid end to end, and
/// q-values need every shard's tests.
///
///     #annotate-shard	1
///     settings	…                       as in `BackgroundFile`
///     output	format=F	threshold=T	max-p=P|-	max-q=Q|-	merge=1|0	track-line=1|0	name=NAME
///     background	SHA256|-	DECOYS      the background file's digest and decoy windows (- without statistics)
///     shard	I	N
///     record	NUMBER	NAME               each record (or its part) in the shard, in order
///     w	START	FORWARD	REVERSE[	FORWARD_P	REVERSE_P]   a passing window (. on a strand that does not pass)
///     length	NUMBER	LENGTH             where the record ends
///     tests	N                          windows scored, both strands counted
///     end	LINES
///
/// Probabilities and p-values are written as their shortest exact decimals.
final class ShardWriter: TrackWriter {
    let output: OutputFile
    let renderer: ThresholdRenderer
    private let header: [String]
    private let step: Int
    private let statistics: Bool
    /// The records that end in this shard (the others are read past where it stops).
    private let ending: Set<String>
    private var record: Int?
    private var lines = 0
    private(set) var linesWritten = 0
    private var text = ""

    init(output: OutputFile, header: [String], renderer: ThresholdRenderer, step: Int, statistics: Bool, ending: Set<String>) {
        self.ending = ending
        self.output = output
        self.header = header
        self.renderer = renderer
        self.step = step
        self.statistics = statistics
    }

    func begin() throws(ScannerError) {
        for line in header { try emit(line) }
    }

    func write(_ passing: PassingWindows, of piece: RenderedPiece) throws(ScannerError) {
        if piece.recordIndex != record {
            record = piece.recordIndex
            try emit("record\t\(piece.recordIndex)\t\(piece.record)")
        }
        for k in passing.windows.indices {
            let start = piece.origin + Int(passing.windows[k]) * step
            var line = "w\t\(start)\t\(ShardWriter.text(passing.forward[k]))\t\(ShardWriter.text(passing.reverse[k]))"
            if statistics { line += "\t\(passing.forwardP[k])\t\(passing.reverseP[k])" }
            try emit(line)
            linesWritten += 1
        }
        if let length = piece.recordLength, ending.contains(piece.record) { try emit("length\t\(piece.recordIndex)\t\(length)") }
    }

    func finish(tests: Int) throws(ScannerError) {
        try emit("tests\t\(tests)")
        try emit("end\t\(lines + 1)")
        try output.write(text)
        text = ""
    }

    private func emit(_ line: String) throws(ScannerError) {
        text += line
        text += "\n"
        lines += 1
        if text.utf8.count >= 1 << 16 {
            try output.write(text)
            text = ""
        }
    }

    static func text(_ probability: Float) -> String { probability.isNaN ? "." : "\(probability)" }
}

/// Joins the shard files of one genome (`ShardWriter`) into the output one scan of the
/// whole genome writes: their windows, laid end to end in shard order, go through the same
/// region writer, with every shard's tests for the q-values.
public enum ShardMerge {
    /// What kind of file `annotate merge` was given, by its first line: a background's part
    /// (`BackgroundFile`), a shard of a scan (`ShardWriter`), or neither (nil).
    public enum Kind: Sendable { case background, shard }

    public static func kind(of path: String) throws(ScannerError) -> Kind? {
        switch try FieldReader(path: path).next()?.first {
        case "#annotate-background": .background
        case "#annotate-shard": .shard
        default: nil
        }
    }

    /// Merges the shard files at `paths` (in any order; every shard of one scan exactly once)
    /// into `file`.
    public static func run(paths: [String], output file: OutputFile) throws(ScannerError) -> ScanSummary {
        // The headers first, to check the shards and put them in order; then each shard in
        // turn, so that one file is open at a time however many shards there are.
        var shards: [(number: Int, path: String)] = []
        var first: [String]?
        for path in paths {
            let (reader, number, header) = try open(path, count: paths.count)
            if let first, first != header {
                throw reader.fail("this shard comes from another scan than \(shards[0].path): its settings, output options or background differ")
            }
            if let twin = shards.first(where: { $0.number == number }) { throw reader.fail("shard \(number) is given twice (also \(twin.path))") }
            shards.append((number, path))
            first = header
        }
        shards.sort { $0.number < $1.number }
        guard let header = first, let path = shards.first?.path else { return ScanSummary() }
        let options = try ShardOptions(header: header, reader: try FieldReader(path: path))
        var join = try ShardJoin(options: options, file: file)
        for shard in shards {
            let (reader, number, again) = try open(shard.path, count: paths.count)
            guard number == shard.number, again == header else { throw reader.fail("the file changed while it was merged") }
            try join.read(reader)
        }
        return try join.finish()
    }

    /// Opens a shard file and reads its header: the shard's number and the lines that must
    /// be the same in every shard of one scan.
    private static func open(_ path: String, count: Int) throws(ScannerError) -> (FieldReader, Int, [String]) {
        let reader = try FieldReader(path: path)
        guard let magic = try reader.next(), magic == ["#annotate-shard", "1"] else {
            throw reader.fail("not a shard file of annotate (annotate scan --shard I/N -o FILE writes them)")
        }
        var header: [String] = []
        for kind in ["settings", "output", "background"] { header.append(try reader.expect(kind, fields: 2, orMore: true).joined(separator: "\t")) }
        let shard = try reader.expect("shard", fields: 3)
        let number = try reader.count(shard[1], "the shard"), total = try reader.count(shard[2], "the shard count")
        guard number >= 1, number <= total, total == count else {
            throw reader.fail("this is shard \(number) of \(total), and \(count) files were given: merge needs every shard of the scan once")
        }
        return (reader, number, header)
    }
}

/// A shard file's header: what the scan that wrote it was asked to write.
struct ShardOptions {
    let output: OutputOptions
    let geometry: WindowGeometry
    let decoyWindows: Int?

    /// The header lines a shard of a scan with these settings starts with.
    static func header(settings: BackgroundSettings, output: OutputOptions, name: String, background: (digest: String, decoys: Int)?,
                       shard: Int, of count: Int) -> [String] {
        let fields = ["format=\(output.format.rawValue)", "threshold=\(output.probabilityCut)",
                      "max-p=\(output.pValueCut.map { "\($0)" } ?? "-")", "max-q=\(output.maximumQ.map { "\($0)" } ?? "-")",
                      "merge=\(output.merge ? 1 : 0)", "track-line=\(output.trackLine ? 1 : 0)", "name=\(name)"]
        return ["#annotate-shard\t1", (["settings"] + settings.fields).joined(separator: "\t"),
                (["output"] + fields).joined(separator: "\t"),
                "background\t" + (background.map { "\($0.digest)\t\($0.decoys)" } ?? "-\t-"), "shard\t\(shard)\t\(count)"]
    }

    init(header: [String], reader: FieldReader) throws(ScannerError) {
        let settings = try BackgroundSettings(fields: header[0].split(separator: "\t")[1...], reader: reader)
        geometry = WindowGeometry(length: settings.windowLength, step: settings.step)
        var values: [String: String] = [:]
        for field in header[1].split(separator: "\t").dropFirst() {
            let pair = field.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { values[String(pair[0])] = String(pair[1]) }
        }
        var output = OutputOptions()
        guard let format = values["format"].flatMap(OutputFormat.init(rawValue:)), [.bed, .narrowpeak, .bigbed].contains(format),
              let threshold = values["threshold"].flatMap({ Float($0) }), let maxP = values["max-p"], let maxQ = values["max-q"],
              let merge = values["merge"], let trackLine = values["track-line"], let name = values["name"] else {
            throw reader.fail("the output line lacks format, threshold, max-p, max-q, merge, track-line or name")
        }
        let background = header[2].split(separator: "\t")
        output.format = format
        output.threshold = threshold
        output.statistics = background.count == 3 && background[1] != "-"
        output.maximumP = Double(maxP)
        output.maximumQ = Double(maxQ)
        output.merge = merge == "1"
        output.trackLine = trackLine == "1"
        output.name = name
        self.output = output
        decoyWindows = background.count == 3 ? Int(background[2]) : nil
    }
}

/// Lays the shards' windows end to end into one region writer.
private struct ShardJoin {
    let options: ShardOptions
    let file: OutputFile
    private let writer: RegionSink
    private var record = -1, name = "", ended = true, startsRecord = false
    private var lastStart = -1
    private var batch = PassingWindows(), origin = 0
    private var summary = ScanSummary()

    init(options: ShardOptions, file: OutputFile) throws(ScannerError) {
        self.options = options
        self.file = file
        let output = options.output, name = output.name ?? ""
        switch output.format {
        case .narrowpeak:
            writer = .narrowPeak(try RegionWriter(output: file, options: output, name: name, geometry: options.geometry, holding: output.statistics))
        default:
            if output.format == .bigbed { try file.startBigBed(statistics: output.statistics) }
            writer = .bed(try RegionWriter(output: file, options: output, name: name, geometry: options.geometry, holding: output.statistics))
        }
        try writer.begin()
    }

    mutating func read(_ reader: FieldReader) throws(ScannerError) {
        let statistics = options.output.statistics, step = options.geometry.step
        while let fields = try reader.next() {
            switch fields[0] {
            case "w":
                guard !ended, fields.count == (statistics ? 6 : 4), let start = Int(fields[1]), start > lastStart, start < 1 << 48, start % step == 0,
                      let forward = ShardJoin.probability(fields[2]), let reverse = ShardJoin.probability(fields[3]) else {
                    throw reader.fail("not a window of the record that goes on here (w START FORWARD REVERSE\(statistics ? " FORWARD_P REVERSE_P" : ""), starts increasing)")
                }
                var (forwardP, reverseP) = (1.0, 1.0)
                if statistics {
                    guard let f = Double(fields[4]), let r = Double(fields[5]), f >= 0, f <= 1, r >= 0, r <= 1 else { throw reader.fail("a p-value is between 0 and 1") }
                    (forwardP, reverseP) = (f, r)
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
    private mutating func flush(length: Int?) throws(ScannerError) {
        guard record >= 0, !ended, !batch.windows.isEmpty || length != nil || startsRecord else { return }
        let windows = batch.windows.last.map { Int($0) + 1 } ?? 0
        let piece = RenderedPiece(record: name, recordIndex: record, isFirst: startsRecord, recordLength: length, origin: origin,
                                  windows: windows, end: origin + windows * options.geometry.step)
        try writer.write(batch, of: piece)
        startsRecord = false
        batch = PassingWindows()
    }

    func finish() throws(ScannerError) -> ScanSummary {
        guard ended, record >= 0 else {
            throw ScannerError.badPart(path: file.name, line: nil, reason: "the shards end inside record \(MessageText.shown(name, limit: 60)): a shard is missing or incomplete")
        }
        var summary = self.summary
        let report = try writer.finish(tests: summary.windowsScored)
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

/// One of the BED-family region writers.
private enum RegionSink {
    case bed(RegionWriter<BEDFormat>)
    case narrowPeak(RegionWriter<NarrowPeakFormat>)

    func begin() throws(ScannerError) {
        switch self {
        case let .bed(writer): try writer.begin()
        case let .narrowPeak(writer): try writer.begin()
        }
    }

    func write(_ passing: PassingWindows, of piece: RenderedPiece) throws(ScannerError) {
        switch self {
        case let .bed(writer): try writer.write(passing, of: piece)
        case let .narrowPeak(writer): try writer.write(passing, of: piece)
        }
    }

    func finish(tests: Int) throws(ScannerError) -> SignificanceReport? {
        switch self {
        case let .bed(writer):
            try writer.finish(tests: tests)
            return writer.report
        case let .narrowPeak(writer):
            try writer.finish(tests: tests)
            return writer.report
        }
    }

    var linesWritten: Int {
        switch self {
        case let .bed(writer): writer.linesWritten
        case let .narrowPeak(writer): writer.linesWritten
        }
    }
}
