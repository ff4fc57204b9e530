import GenomeIO

extension ScanPipeline {
    /// Calls `body` with each record to scan, in input order: its name, its number in the
    /// inputs and in the background (−1 where the background has no record of that name
    /// next: an empty record), its segments (the whole record, or its requested intervals)
    /// and where to read its bases. A scan of regions of one file with a faidx index beside
    /// it reads through the index, so that only the requested intervals are read; otherwise
    /// the inputs are streamed (`opened` gets each reader) and records without intervals
    /// read past. Returns the number of records, of the background's records met, whether
    /// `body` stopped the scan, and the first few records' names (for messages).
    func forEachRecord(_ inputs: [InputSource], opened: (FastaReader) -> Void,
                       _ body: (String, Int, Int, [Range<Int>], any BaseReader) throws(GenomeIOError) -> Bool)
        throws(GenomeIOError) -> (records: Int, backgroundRecords: Int, stopped: Bool, firstNames: [String]) {
        var records = 0, cursor = 0, firstNames: [String] = []
        /// The record's number in the background, which has the genome's records but the empty ones.
        func backgroundIndex(_ name: String) -> Int {
            guard let names = background?.records, cursor < names.count, names[cursor] == name else { return -1 }
            cursor += 1
            return cursor - 1
        }
        if let regions = options.regions, let fasta = try ScanPipeline.indexed(inputs) {
            try regions.requireRecords(of: fasta.index, input: inputs[0].name)
            for entry in fasta.index.entries {
                records += 1
                let number = backgroundIndex(entry.name)
                guard let segments = regions.segments(of: entry.name) else { continue }
                guard try body(entry.name, records - 1, number, segments, IndexedRecord(fasta, entry)) else { return (records, cursor, true, firstNames) }
            }
            return (records, cursor, false, firstNames)
        }
        for input in inputs {
            let current = FastaReader(stream: try input.open())
            opened(current)
            let before = records
            while let header = try current.nextRecord() {
                records += 1
                if firstNames.count < ScanRegions.namesShown { firstNames.append(header.name) }
                let number = backgroundIndex(header.name)
                let segments = options.regions.map { $0.segments(of: header.name) ?? [] } ?? [0..<Int.max]
                if segments.isEmpty { continue }
                guard try body(header.name, records - 1, number, segments, current) else { return (records, cursor, true, firstNames) }
            }
            if records == before { throw .noRecords(path: current.name) }
        }
        return (records, cursor, false, firstNames)
    }

    /// The one input file, when it has a faidx index beside it (and a .gzi for gzip).
    static func indexed(_ inputs: [InputSource]) throws(GenomeIOError) -> IndexedFasta? {
        guard inputs.count == 1, case let .path(path) = inputs[0], path != "-", IndexedFasta.hasIndex(path) else { return nil }
        return try IndexedFasta(path: path)
    }
}
