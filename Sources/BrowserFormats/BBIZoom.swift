/// Covered bases and the value's extremes and sums, weighted by bases (a BBI file's total
/// summary and each zoom record).
struct BBISummary {
    var bases: Double = 0, minimum = Double.infinity, maximum = -Double.infinity, sum: Double = 0, sumOfSquares: Double = 0

    mutating func add(_ value: Double, bases count: Int) {
        let n = Double(count)
        bases += n
        minimum = min(minimum, value)
        maximum = max(maximum, value)
        sum += value * n
        sumOfSquares += value * value * n
    }

    /// The 40-byte total summary: bases covered, minimum, maximum, sum, sum of squares.
    var bytes: [UInt8] {
        var out = BBIBytes()
        out.u64(UInt64(bases))
        out.f64(bases > 0 ? minimum : 0)
        out.f64(bases > 0 ? maximum : 0)
        out.f64(sum)
        out.f64(sumOfSquares)
        return out.bytes
    }
}

/// The zoom levels of a BBI file (bigWig or bigBed): summaries of the data over bins of
/// `reduction` bases ([k·r, (k+1)·r) of a chromosome, the last clipped to its end), at
/// reductions growing 4× a level, each level's compressed records spilled until the end.
final class BBIZoomLevels {
    final class Level {
        let reduction: Int
        let storage: SpillStorage
        var bin: (chromosome: UInt32, start: Int, end: Int, summary: BBISummary)?
        var records = BBIBytes(), recordCount = 0, sectionRecords = 0
        var sectionStart: (UInt32, UInt32) = (0, 0), sectionEnd: (UInt32, UInt32) = (0, 0)
        var sections: [BBISection] = []

        init(reduction: Int, storage: SpillStorage) {
            self.reduction = reduction
            self.storage = storage
        }
    }

    let levels: [Level]
    static let recordsPerSection = 1024
    private(set) var largestSection = 0

    init(firstReduction: Int, spill: () throws -> SpillStorage) throws {
        var levels: [Level] = []
        var reduction = max(firstReduction, 1)
        for _ in 0..<BBI.maximumZoomLevels where reduction < 1 << 30 {
            levels.append(Level(reduction: reduction, storage: try spill()))
            reduction *= 4
        }
        self.levels = levels
    }

    /// Adds [start, end) of `chromosome` with `value` to every level.
    func add(chromosome: UInt32, start: Int, end: Int, value: Double) throws {
        for level in levels {
            var s = start
            while s < end {
                let binStart = s / level.reduction * level.reduction, binEnd = binStart + level.reduction
                if level.bin?.start != binStart || level.bin?.chromosome != chromosome {
                    try flushBin(level, length: nil)
                    level.bin = (chromosome, binStart, binEnd, BBISummary())
                }
                let e = min(end, binEnd)
                level.bin?.summary.add(value, bases: e - s)
                s = e
            }
        }
    }

    /// Ends a chromosome of `length` bases: its last bins and sections.
    func endChromosome(length: Int) throws {
        for level in levels {
            try flushBin(level, length: length)
            try flushSection(level)
        }
    }

    /// Writes a level's open bin as a zoom record: chromosome, start, end, bases covered,
    /// minimum, maximum, sum and sum of squares (the last four as Float).
    private func flushBin(_ level: Level, length: Int?) throws {
        guard let bin = level.bin else { return }
        level.bin = nil
        let end = UInt32(min(bin.end, length ?? bin.end))
        if level.sectionRecords == 0 { level.sectionStart = (bin.chromosome, UInt32(bin.start)) }
        level.records.u32(bin.chromosome)
        level.records.u32(UInt32(bin.start))
        level.records.u32(end)
        level.records.u32(UInt32(bin.summary.bases))
        level.records.f32(Float(bin.summary.minimum))
        level.records.f32(Float(bin.summary.maximum))
        level.records.f32(Float(bin.summary.sum))
        level.records.f32(Float(bin.summary.sumOfSquares))
        level.sectionEnd = (bin.chromosome, end)
        level.sectionRecords += 1
        level.recordCount += 1
        if level.sectionRecords == BBIZoomLevels.recordsPerSection { try flushSection(level) }
    }

    private func flushSection(_ level: Level) throws {
        guard level.sectionRecords > 0 else { return }
        let compressed = try BBI.compress(level.records.bytes)
        largestSection = max(largestSection, level.records.bytes.count)
        level.sections.append(BBISection(chromosome: level.sectionStart.0, start: level.sectionStart.1, endChromosome: level.sectionEnd.0,
                                         end: level.sectionEnd.1, offset: UInt64(level.storage.size), size: UInt64(compressed.count)))
        try level.storage.append(compressed)
        level.records = BBIBytes()
        level.sectionRecords = 0
    }

    /// Writes the levels up to `longest` bases (at least the first): each one's record
    /// count, its sections and their R-tree; returns their zoom headers.
    func write(to output: PatchableOutput, longest: Int) throws -> (count: Int, headers: [UInt8]) {
        var kept = levels.filter { $0.reduction <= longest && $0.recordCount > 0 }
        if kept.isEmpty, let first = levels.first, first.recordCount > 0 { kept = [first] }
        var headers = BBIBytes()
        for level in kept {
            let dataOffset = output.position
            var count = BBIBytes()
            count.u32(UInt32(level.recordCount))
            try output.append(count.bytes)
            let base = UInt64(output.position)
            try level.storage.readBack { try output.append($0) }
            let shifted = level.sections.map {
                BBISection(chromosome: $0.chromosome, start: $0.start, endChromosome: $0.endChromosome, end: $0.end,
                           offset: $0.offset + base, size: $0.size)
            }
            let indexOffset = output.position
            try output.append(BBI.rTree(shifted, at: UInt64(indexOffset), itemsPerSlot: UInt32(BBIZoomLevels.recordsPerSection)))
            headers.u32(UInt32(level.reduction))
            headers.u32(0)
            headers.u64(UInt64(dataOffset))
            headers.u64(UInt64(indexOffset))
        }
        return (kept.count, headers.bytes)
    }
}

extension BBI {
    /// The 64-byte header of a bigWig or bigBed file.
    static func header(magic: UInt32, zoomLevels: Int, chromosomeTree: Int, data: Int, index: Int, fieldCount: Int,
                       definedFieldCount: Int, autoSql: Int, summary: Int = summaryOffset, bufferSize: Int) -> [UInt8] {
        var header = BBIBytes()
        header.u32(magic)
        header.u16(4)
        header.u16(UInt16(zoomLevels))
        header.u64(UInt64(chromosomeTree))
        header.u64(UInt64(data))
        header.u64(UInt64(index))
        header.u16(UInt16(fieldCount))
        header.u16(UInt16(definedFieldCount))
        header.u64(UInt64(autoSql))
        header.u64(UInt64(summary))
        header.u32(UInt32(bufferSize))
        header.u64(0)  // extensionOffset
        return header.bytes
    }

    /// Where a bigWig's total summary goes: after the header and the zoom headers' room.
    static let summaryOffset = 64 + 24 * maximumZoomLevels
}

extension BBI {
    /// Ends a bigWig or bigBed file after its data index: the zoom levels, the chromosome
    /// tree and the closing magic; then patches the header (with the zoom headers), the
    /// total summary and the data count.
    static func finish(_ output: PatchableOutput, magic: UInt32, zooms: BBIZoomLevels, chromosomes: [(name: [UInt8], length: UInt32)],
                       index: Int, data: Int, dataCount: Int, fieldCount: Int, definedFieldCount: Int, autoSql: Int,
                       summary: (offset: Int, value: BBISummary), largestSection: Int) throws {
        let zoomed = try zooms.write(to: output, longest: Int(chromosomes.map(\.length).max() ?? 0))
        let treeOffset = output.position
        try output.append(chromosomeTree(chromosomes, at: UInt64(treeOffset)))
        var end = BBIBytes()
        end.u32(magic)
        try output.append(end.bytes)
        let header = BBI.header(magic: magic, zoomLevels: zoomed.count, chromosomeTree: treeOffset, data: data, index: index,
                                fieldCount: fieldCount, definedFieldCount: definedFieldCount, autoSql: autoSql,
                                summary: summary.offset, bufferSize: max(largestSection, zooms.largestSection))
        try output.patch(at: 0, header + zoomed.headers)
        try output.patch(at: summary.offset, summary.value.bytes)
        var count = BBIBytes()
        count.u64(UInt64(dataCount))
        try output.patch(at: data, count.bytes)
    }
}
