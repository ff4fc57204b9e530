import GenomeIO
import Model
import Significance

/// The background of a genome, or the part of it one shard's blocks make, as a text file:
/// what `annotate background` writes and `scan --background` and `merge` read.
///
///     #annotate-background	3
///     settings	window=W	step=S	strands=both|+|-	soft-masked=scored|skipped	model=SHA256
///     part	I	N                 (a shard's part) or: genome
///     record	NUMBER	NAME	LENGTH	FIRST_BLOCK	BINS  one per record read (LENGTH - when the
///                                  part ends before the record does; BINS two hex digits a
///                                  64-kbp block, its G+C bin)
///     bin	B	PRESENT	SCORABLE	SMALL_SCORABLE	TALLY	CLUSTERS	4-MERS	SMALL_4-MERS   (a part)
///     class	K	FIRST_BIN	LAST_BIN	TALLY	CLUSTERS       (a genome: its null classes)
///     bin	B	CLASS	TALLY	CLUSTERS                       (a genome: its bins' own decoys)
///     end	LINES
///
/// TALLY is the decoy windows by score bin, `SCORE_BIN:COUNT,…` (`ScoreBins`) or -;
/// CLUSTERS the same for the signed cluster counts (`ClusterTally`), over the same windows;
/// 4-MERS 256 counts or -. Formats 1 (before clusters) and 2 (decoys a fifth of the
/// windows, not a tenth) are refused: they are made again.
enum BackgroundFile {
    enum Content {
        case part(shard: Int, of: Int, BackgroundParts)
        case genome(GenomeBackground)
    }

    static func write(_ content: Content, settings: BackgroundSettings, to file: OutputFile) throws(GenomeIOError) {
        var lines = ["#annotate-background\t\(formatVersion)", (["settings"] + settings.fields).joined(separator: "\t")]
        switch content {
        case let .part(shard, count, parts):
            lines.append("part\t\(shard)\t\(count)")
            for record in parts.records {
                lines.append(recordLine(record.index, record.name, record.recordLength, record.firstBlock, record.bins))
            }
            for bin in 0..<BackgroundParts.bins {
                lines.append("bin\t\(bin)\t\(parts.hasBlocks[bin] ? 1 : 0)\t\(parts.scorable[bin])\t\(parts.smallScorable[bin])\t"
                    + "\(text(parts.tallies[bin]))\t\(text(parts.pooled[bin]))\t\(text(parts.small[bin]))")
            }
        case let .genome(background):
            lines.append("genome")
            for (number, name) in background.recordNames.enumerated() {
                lines.append(recordLine(number, name, background.recordLengths[number], 0, background.blockBins[number]))
            }
            for (number, nullClass) in background.classes.enumerated() {
                lines.append("class\t\(number)\t\(nullClass.gcPercent.lowerBound / 2)\t\(nullClass.gcPercent.upperBound / 2 - 1)\t\(text(nullClass.decoys))")
            }
            for bin in 0..<BackgroundParts.bins {
                lines.append("bin\t\(bin)\t\(background.classOfBin[bin])\t\(text(background.binTallies[bin]))")
            }
        }
        lines.append("end\t\(lines.count + 1)")
        for line in lines { try file.write(line + "\n") }
    }

    private static func recordLine(_ number: Int, _ name: String, _ length: Int?, _ first: Int, _ bins: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(2 * bins.count)
        for bin in bins { hex += [digits[Int(bin >> 4)], digits[Int(bin & 15)]] }
        return "record\t\(number)\t\(name)\t\(length.map(String.init) ?? "-")\t\(first)\t\(String(decoding: hex, as: UTF8.self))"
    }

    /// The windows' tally, a tab, the clusters'.
    private static func text(_ decoys: DecoyCounts) -> String {
        var windows: [String] = [], clusters: [String] = []
        for (k, count) in decoys.windows.counts.enumerated() where count > 0 { windows.append("\(k):\(count)") }
        for (k, count) in decoys.clusters.counts.enumerated() where count != 0 { clusters.append("\(k):\(count)") }
        return (windows.isEmpty ? "-" : windows.joined(separator: ",")) + "\t" + (clusters.isEmpty ? "-" : clusters.joined(separator: ","))
    }

    static let formatVersion = 3

    /// Reads the magic line: this format's, or a clear word for another.
    private static func checkMagic(_ reader: FieldReader) throws(GenomeIOError) {
        guard let magic = try reader.next(), magic.count == 2, magic[0] == "#annotate-background" else {
            throw reader.fail("not a background file of annotate (annotate background writes them)")
        }
        guard magic[1] == Substring(String(formatVersion)) else {
            throw reader.fail("a background file of format \(MessageText.shown(String(magic[1]), limit: 20)); this annotate reads format \(formatVersion): make it again with annotate background")
        }
    }

    private static func text(_ counts: TetramerCounts) -> String {
        counts.total == 0 ? "-" : counts.counts.map(String.init).joined(separator: ",")
    }

    /// The first lines of a background file: its settings, and which part it is (nil for a
    /// whole genome's).
    static func header(path: String) throws(GenomeIOError) -> (settings: BackgroundSettings, part: (shard: Int, of: Int)?) {
        let reader = try FieldReader(path: path)
        try checkMagic(reader)
        let settings = try BackgroundSettings(fields: try reader.expect("settings", fields: 2, orMore: true)[1...], reader: reader)
        guard let kind = try reader.next(), kind.count == 3, kind[0] == "part" else { return (settings, nil) }
        return (settings, (try reader.count(kind[1], "the shard"), try reader.count(kind[2], "the shard count")))
    }

    /// Reads a background file, checking every line.
    static func read(path: String) throws(GenomeIOError) -> (settings: BackgroundSettings, content: Content) {
        let reader = try FieldReader(path: path)
        try checkMagic(reader)
        let settingsLine = try reader.expect("settings", fields: 2, orMore: true)
        let settings = try BackgroundSettings(fields: settingsLine[1...], reader: reader)
        guard let kind = try reader.next() else { throw reader.fail("the file ends after its settings: it is incomplete") }
        var records: [RecordBlocks] = []
        var fields = try reader.next()
        while let line = fields, line.first == "record" {
            guard line.count == 6 else { throw reader.fail("a record line has 6 fields") }
            let number = try reader.count(line[1], "the record number"), first = try reader.count(line[4], "the first block")
            guard first < 1 << 40 else { throw reader.fail("the first block lies past any genome") }
            let length: Int? = line[3] == "-" ? nil : try reader.count(line[3], "the record length")
            records.append(RecordBlocks(index: number, name: String(line[2]), firstBlock: first, bins: try bins(line[5], reader),
                                        recordLength: length))
            fields = try reader.next()
        }
        let content: Content
        if kind.count == 3, kind[0] == "part" {
            let shard = try reader.count(kind[1], "the shard"), count = try reader.count(kind[2], "the shard count")
            guard shard >= 1, shard <= count else { throw reader.fail("shard \(shard) of \(count) does not exist") }
            var parts = BackgroundParts()
            parts.records = records
            for bin in 0..<BackgroundParts.bins {
                guard let line = fields, line.count == 9, line[0] == "bin", line[1] == Substring(String(bin)) else {
                    throw reader.fail("expected the line of G+C bin \(bin)")
                }
                parts.hasBlocks[bin] = line[2] == "1"
                parts.scorable[bin] = try reader.count(line[3], "the scorable bases")
                parts.smallScorable[bin] = try reader.count(line[4], "the small blocks' scorable bases")
                parts.tallies[bin] = try decoys(line[5], line[6], reader)
                parts.pooled[bin] = try tetramers(line[7], reader)
                parts.small[bin] = try tetramers(line[8], reader)
                fields = try reader.next()
            }
            content = .part(shard: shard, of: count, parts)
        } else if kind == ["genome"] {
            var classes: [GenomeBackground.NullClass] = []
            while let line = fields, line.first == "class" {
                guard line.count == 6, try reader.count(line[1], "the class") == classes.count else { throw reader.fail("expected class \(classes.count)") }
                let first = try reader.count(line[2], "the first bin"), last = try reader.count(line[3], "the last bin")
                guard first <= last, last < BackgroundParts.bins else { throw reader.fail("not a run of G+C bins") }
                classes.append(GenomeBackground.NullClass(gcPercent: (2 * first)...(2 * last + 2), decoys: try decoys(line[4], line[5], reader)))
                fields = try reader.next()
            }
            var classOfBin: [UInt8] = [], binTallies: [DecoyCounts] = []
            for bin in 0..<BackgroundParts.bins {
                guard let line = fields, line.count == 5, line[0] == "bin", line[1] == Substring(String(bin)),
                      let number = UInt8(line[2]), Int(number) < classes.count else {
                    throw reader.fail("expected the line of G+C bin \(bin), with its class")
                }
                classOfBin.append(number)
                binTallies.append(try decoys(line[3], line[4], reader))
                fields = try reader.next()
            }
            guard !classes.isEmpty, !records.isEmpty else { throw reader.fail("a genome's background has records and classes") }
            for (number, record) in records.enumerated() where record.index != number || record.firstBlock != 0 || record.recordLength == nil || record.bins.isEmpty {
                throw reader.fail("record \(record.name) is not the genome's record \(number + 1) whole")
            }
            content = .genome(GenomeBackground(classes: classes, classOfBin: classOfBin, binTallies: binTallies,
                                               blockBins: records.map(\.bins), recordNames: records.map(\.name),
                                               recordLengths: records.map { $0.recordLength ?? 0 }))
        } else {
            throw reader.fail("expected a part or genome line")
        }
        guard let end = fields, end.count == 2, end[0] == "end", Int(end[1]) == reader.line else {
            throw reader.fail("expected the end line: the file is incomplete")
        }
        guard try reader.next() == nil else { throw reader.fail("lines after the end line") }
        return (settings, content)
    }

    private static func bins(_ field: Substring, _ reader: FieldReader) throws(GenomeIOError) -> [UInt8] {
        let bytes = Array(field.utf8)
        guard bytes.count % 2 == 0 else { throw reader.fail("the blocks' G+C bins are pairs of hex digits") }
        var bins: [UInt8] = []
        bins.reserveCapacity(bytes.count / 2)
        for i in stride(from: 0, to: bytes.count, by: 2) {
            guard let value = UInt8(String(decoding: bytes[i..<(i + 2)], as: UTF8.self), radix: 16), Int(value) < BackgroundParts.bins else {
                throw reader.fail("a block's G+C bin is two hex digits below \(BackgroundParts.bins)")
            }
            bins.append(value)
        }
        return bins
    }

    /// The most decoy windows a tally may count: far more than any genome has, and few
    /// enough that the sums of a file's tallies stay far within an Int.
    private static let maximumWindows: UInt64 = 1 << 48

    private static func tally(_ field: Substring, _ reader: FieldReader) throws(GenomeIOError) -> DecoyTally {
        var tally = DecoyTally()
        guard field != "-" else { return tally }
        for item in field.split(separator: ",") {
            let pair = item.split(separator: ":")
            guard pair.count == 2, let bin = Int(pair[0]), let count = UInt64(pair[1]), tally.counts.indices.contains(bin) else {
                throw reader.fail("a decoy tally is SCORE_BIN:COUNT,…")
            }
            // Past any genome's windows, the tally's total (and the sums of tallies) would overflow.
            guard count <= maximumWindows - (tally.windows - tally.counts[bin]) else {
                throw reader.fail("a decoy tally counts more than 2^48 windows, more than any genome has")
            }
            tally.set(bin: bin, count: count)
        }
        return tally
    }

    /// A bin's or class's decoys: its windows' tally and its clusters', over the same windows.
    private static func decoys(_ windows: Substring, _ clusters: Substring, _ reader: FieldReader) throws(GenomeIOError) -> DecoyCounts {
        var decoys = DecoyCounts()
        decoys.windows = try tally(windows, reader)
        decoys.clusters.set(windows: decoys.windows.windows)
        guard clusters != "-" else { return decoys }
        let bound = Int64(maximumWindows)
        for item in clusters.split(separator: ",") {
            let pair = item.split(separator: ":")
            guard pair.count == 2, let bin = Int(pair[0]), let count = Int64(pair[1]), (-bound...bound).contains(count),
                  decoys.clusters.set(bin: bin, count: count) else {
                throw reader.fail("a cluster tally is SCORE_BIN:COUNT,… with counts within ±2^48")
            }
        }
        return decoys
    }

    private static func tetramers(_ field: Substring, _ reader: FieldReader) throws(GenomeIOError) -> TetramerCounts {
        var counts = TetramerCounts()
        guard field != "-" else { return counts }
        let values = field.split(separator: ",").compactMap { UInt32($0) }
        guard values.count == 256 else { throw reader.fail("4-mer counts are 256 numbers") }
        values.withUnsafeBufferPointer { counts.add($0) }
        return counts
    }
}
