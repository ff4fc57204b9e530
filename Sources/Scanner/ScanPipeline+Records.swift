/// Where `RecordFeeder` reads a record's bases: on from the current position, or past some.
protocol BaseReader: AnyObject {
    /// Fills `out` with the record's next bases; fewer (0) only at its end.
    func readBases(into out: UnsafeMutableBufferPointer<UInt8>) throws(ScannerError) -> Int
    /// Moves past up to `count` bases (`scratch` is room to read them into); returns how many there were.
    func skipBases(_ count: Int, into scratch: inout [UInt8]) throws(ScannerError) -> Int
}

extension FastaReader: BaseReader {}

/// One record of an indexed FASTA, read through the index from wherever it is asked for:
/// skipping bases reads nothing.
final class IndexedRecord: BaseReader {
    let fasta: IndexedFasta
    let entry: FastaIndex.Entry
    private var position = 0
    private var reader: IndexedFasta.RangeReader?

    init(_ fasta: IndexedFasta, _ entry: FastaIndex.Entry) {
        self.fasta = fasta
        self.entry = entry
    }

    func readBases(into out: UnsafeMutableBufferPointer<UInt8>) throws(ScannerError) -> Int {
        let current: IndexedFasta.RangeReader
        if let reader { current = reader } else { current = try IndexedFasta.RangeReader(fasta, entry, from: position, to: entry.length) }
        reader = current
        var count = 0
        while count < out.count {
            let n = try current.read(into: UnsafeMutableBufferPointer(rebasing: out[count...]))
            if n == 0 { break }
            count += n
        }
        position += count
        return count
    }

    func skipBases(_ count: Int, into scratch: inout [UInt8]) throws(ScannerError) -> Int {
        let skipped = min(count, entry.length - position)
        if skipped > 0 { reader = nil }
        position += skipped
        return skipped
    }
}

extension ScanPipeline {
    /// Calls `body` with each record to scan, in input order: its name, its number in the
    /// inputs and in the background (−1 where the background has no record of that name
    /// next: an empty record), its segments (the whole record, or its requested intervals)
    /// and where to read its bases. A scan of regions of one file with a faidx index beside
    /// it reads through the index, so that only the requested intervals are read; otherwise
    /// the inputs are streamed (`opened` gets each reader) and records without intervals
    /// read past. Returns the number of records, of the background's records met, and
    /// whether `body` stopped the scan.
    func forEachRecord(_ inputs: [InputSource], opened: (FastaReader) -> Void,
                       _ body: (String, Int, Int, [Range<Int>], any BaseReader) throws(ScannerError) -> Bool)
        throws(ScannerError) -> (records: Int, backgroundRecords: Int, stopped: Bool) {
        var records = 0, cursor = 0
        /// The record's number in the background, which has the genome's records but the empty ones.
        func backgroundIndex(_ name: String) -> Int {
            guard let names = background?.records, cursor < names.count, names[cursor] == name else { return -1 }
            cursor += 1
            return cursor - 1
        }
        if let regions = options.regions, let fasta = try ScanPipeline.indexed(inputs) {
            for entry in fasta.index.entries {
                records += 1
                let number = backgroundIndex(entry.name)
                guard let segments = regions.segments(of: entry.name) else { continue }
                guard try body(entry.name, records - 1, number, segments, IndexedRecord(fasta, entry)) else { return (records, cursor, true) }
            }
            return (records, cursor, false)
        }
        for input in inputs {
            let current = FastaReader(stream: try input.open())
            opened(current)
            let before = records
            while let header = try current.nextRecord() {
                records += 1
                let number = backgroundIndex(header.name)
                let segments = options.regions.map { $0.segments(of: header.name) ?? [] } ?? [0..<Int.max]
                if segments.isEmpty { continue }
                guard try body(header.name, records - 1, number, segments, current) else { return (records, cursor, true) }
            }
            if records == before { throw .noRecords(path: current.name) }
        }
        return (records, cursor, false)
    }

    /// The one input file, when it has a faidx index beside it (and a .gzi for gzip).
    static func indexed(_ inputs: [InputSource]) throws(ScannerError) -> IndexedFasta? {
        guard inputs.count == 1, case let .path(path) = inputs[0], path != "-", IndexedFasta.hasIndex(path) else { return nil }
        return try IndexedFasta(path: path)
    }
}
