import Model
/// The parts of the input a scan reads: per record, intervals in order, merged where they
/// overlap or touch. A scan of regions writes what a scan of the whole input writes for
/// the windows that lie inside one of them.
public struct ScanRegions: Sendable, Equatable {
    /// Per record, 0-based half-open intervals; an end of `Int.max` means the record's end.
    public private(set) var intervals: [String: [Range<Int>]] = [:]
    /// Per record, where it was first asked for (`--region chr1:1-100`, `r.bed line 7`), for
    /// the message when the input lacks it.
    public var origins: [String: String] = [:]

    /// `regions` (samtools-style, from the command line) and `bed` entries (name, 0-based
    /// start, end), merged.
    public init(regions: [GenomeRegion], bed: [(name: String, begin: Int, end: Int)] = []) {
        var all: [String: [Range<Int>]] = [:]
        for region in regions { all[region.name, default: []].append(region.begin..<(region.end ?? Int.max)) }
        for entry in bed { all[entry.name, default: []].append(entry.begin..<entry.end) }
        for (name, ranges) in all {
            var merged: [Range<Int>] = []
            for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
                if let last = merged.last, range.lowerBound <= last.upperBound {
                    merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
                } else {
                    merged.append(range)
                }
            }
            intervals[name] = merged
        }
    }

    /// The intervals of `shard`: the indexed genome, its records end to end, cut into
    /// `shard.count` pieces of about equal length at multiples of `blockLength` within a
    /// record (where the background's blocks are cut), each widened by `windowLength` − 1
    /// bases past its end inside a record, so that every window is scored in the one shard
    /// where it starts. A shard may be empty when there are more shards than blocks. An empty
    /// record goes with the shard its place in the genome falls in (the last one at the
    /// genome's end). With `windowLength` 1, the shards do not overlap: those are the blocks
    /// each shard's background is made from.
    public static func shard(_ shard: GenomeShard, index: FastaIndex, blockLength: Int, windowLength: Int) -> ScanRegions {
        let total = index.entries.reduce(0) { $0 + $1.length }
        let count = shard.count
        /// Where cut k falls: k/count of the way, moved back to a block boundary of its record.
        func cut(_ k: Int) -> Int {
            guard k > 0 else { return 0 }
            guard k < count else { return total }
            let target = total / count * k + total % count * k / count
            var start = 0
            for entry in index.entries {
                if target < start + entry.length { return start + (target - start) / blockLength * blockLength }
                start += entry.length
            }
            return total
        }
        let (from, to) = (cut(shard.index - 1), cut(shard.index))
        var bed: [(name: String, begin: Int, end: Int)] = [], empty: [String] = []
        var start = 0
        for entry in index.entries {
            let begin = max(from, start) - start, end = min(to, start + entry.length) - start
            if begin < end { bed.append((entry.name, begin, end == entry.length ? end : min(entry.length, end + windowLength - 1))) }
            if entry.length == 0, from <= start, start < to || (start == total && shard.index == count) { empty.append(entry.name) }
            start += entry.length
        }
        var regions = ScanRegions(regions: [], bed: bed)
        for name in empty { regions.intervals[name] = [0..<0] }
        return regions
    }

    /// The intervals of record `name`, or nil when it has none.
    public func segments(of name: String) -> [Range<Int>]? { intervals[name] }

    public var names: Set<String> { Set(intervals.keys) }

    /// How many of an input's record names the message for a missing record lists.
    public static let namesShown = 8

    /// Refuses, before any base is read, a request for a record that an indexed input lacks.
    public func requireRecords(of index: FastaIndex, input: String) throws(GenomeIOError) {
        let present = Set(index.entries.map(\.name))
        if let absent = names.subtracting(present).sorted().first {
            throw missing(absent, input: input, records: index.entries.prefix(ScanRegions.namesShown).map(\.name), total: index.entries.count)
        }
    }

    /// The error for a requested record that the input lacks: where it was asked for, and
    /// the records the input has (the first few, and how many).
    public func missing(_ name: String, input: String, records: [String], total: Int) -> GenomeIOError {
        let asked = origins[name].map { " (asked for by \($0))" } ?? ""
        let shown = records.prefix(ScanRegions.namesShown).map { MessageText.shown($0, limit: 40) }.joined(separator: ", ")
        let more = total > ScanRegions.namesShown ? ", … (\(total) records)" : ""
        return .badRegion(path: input, region: name, reason: "no record of that name in the input\(asked); it has \(total == 0 ? "none" : shown + more)")
    }

    /// The intervals of a BED file (`--regions`): chromosome, 0-based start and end in the
    /// first three tab-separated columns, and the 1-based line; track, browser and `#` lines
    /// are skipped.
    public static func bedIntervals(path: String) throws(GenomeIOError) -> [(name: String, begin: Int, end: Int, line: Int)] {
        var out: [(String, Int, Int, Int)] = []
        // Lines split as bytes: as Characters, a CR and the LF after it are one, which no "\n" matches.
        for (number, bytes) in try ByteStream.contents(of: path).split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let line = String(decoding: bytes.last == 0x0D ? bytes.dropLast() : bytes, as: UTF8.self)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("track") || line.hasPrefix("browser") { continue }
            let fields = line.split(separator: "\t", maxSplits: 3, omittingEmptySubsequences: false)
            guard fields.count >= 3, !fields[0].isEmpty,
                  let begin = Int(fields[1]), let end = Int(fields[2]), begin >= 0, end > begin else {
                throw .badRegion(path: path, region: "line \(number + 1)",
                                 reason: "not a BED interval (chromosome, 0-based start, end after it, tab-separated)")
            }
            out.append((String(fields[0]), begin, end, number + 1))
        }
        guard !out.isEmpty else { throw .badRegion(path: path, region: "(none)", reason: "the file holds no intervals") }
        return out
    }
}
