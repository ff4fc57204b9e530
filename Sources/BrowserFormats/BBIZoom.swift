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

    /// Adds the bases that `other` summarises.
    mutating func add(_ other: BBISummary) {
        bases += other.bases
        minimum = min(minimum, other.minimum)
        maximum = max(maximum, other.maximum)
        sum += other.sum
        sumOfSquares += other.sumOfSquares
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
/// reductions growing 4× a level. The first level summarises the data; each further level
/// summarises the one below (a bin of 4r is four bins of r), as bedGraphToBigWig does. Each
/// level's compressed records and its section index are spilled until the end.
final class BBIZoomLevels {
    struct Bin {
        var chromosome: UInt32, start: Int, end: Int
        var summary = BBISummary()
    }

    private struct Level {
        let reduction: Int
        var bin: Bin?
        var records = BBIBytes(), recordCount = 0, sectionRecords = 0
        var sectionStart: (UInt32, UInt32) = (0, 0), sectionEnd: (UInt32, UInt32) = (0, 0)
        /// Bytes of compressed sections in the level's storage.
        var stored = 0
    }

    private var levels: [Level] = []
    private let storage: [SpillStorage]
    private let indexes: [BBISectionIndex]
    static let recordsPerSection = 1024
    private(set) var largestSection = 0
    private let deflater = BBIDeflater()

    init(firstReduction: Int, spill: () throws -> SpillStorage) throws {
        var reduction = max(firstReduction, 1)
        for _ in 0..<BBI.maximumZoomLevels where reduction < 1 << 30 {
            levels.append(Level(reduction: reduction))
            reduction *= 4
        }
        storage = try levels.map { _ in try spill() }
        indexes = try levels.map { _ in BBISectionIndex(storage: try spill()) }
    }

    /// Adds [start, end) of `chromosome` with `value` to the first level (and so to all).
    func add(chromosome: UInt32, start: Int, end: Int, value: Double) throws {
        guard !levels.isEmpty else { return }
        var s = start
        while s < end {
            if let bin = levels[0].bin, bin.chromosome == chromosome, s >= bin.start, s < bin.end {
                let e = min(end, bin.end)
                levels[0].bin?.summary.add(value, bases: e - s)
                s = e
            } else {
                try close(0, length: nil)
                let binStart = s / levels[0].reduction * levels[0].reduction
                levels[0].bin = Bin(chromosome: chromosome, start: binStart, end: binStart + levels[0].reduction)
            }
        }
    }

    /// Ends a chromosome of `length` bases: its last bins, level by level. A zoom section
    /// may go on into the next chromosome (its index entry names both), as in UCSC's files,
    /// so that a genome of many short records does not get a section per record and level.
    func endChromosome(length: Int) throws {
        for l in levels.indices { try close(l, length: length) }
    }

    /// Writes level `l`'s open bin as a zoom record (chromosome, start, end, bases covered,
    /// minimum, maximum, sum and sum of squares, the last four as Float), and adds it to
    /// the level above.
    private func close(_ l: Int, length: Int?) throws {
        guard let bin = levels[l].bin else { return }
        levels[l].bin = nil
        let end = UInt32(min(bin.end, length ?? bin.end))
        if levels[l].sectionRecords == 0 { levels[l].sectionStart = (bin.chromosome, UInt32(bin.start)) }
        levels[l].records.u32(bin.chromosome)
        levels[l].records.u32(UInt32(bin.start))
        levels[l].records.u32(end)
        levels[l].records.u32(UInt32(bin.summary.bases))
        levels[l].records.f32(Float(bin.summary.minimum))
        levels[l].records.f32(Float(bin.summary.maximum))
        levels[l].records.f32(Float(bin.summary.sum))
        levels[l].records.f32(Float(bin.summary.sumOfSquares))
        levels[l].sectionEnd = (bin.chromosome, end)
        levels[l].sectionRecords += 1
        levels[l].recordCount += 1
        if levels[l].sectionRecords == BBIZoomLevels.recordsPerSection { try flushSection(l) }
        guard l + 1 < levels.count else { return }
        let above = l + 1, binStart = bin.start / levels[above].reduction * levels[above].reduction
        if let open = levels[above].bin, open.chromosome != bin.chromosome || open.start != binStart { try close(above, length: nil) }
        if levels[above].bin == nil {
            levels[above].bin = Bin(chromosome: bin.chromosome, start: binStart, end: binStart + levels[above].reduction)
        }
        levels[above].bin?.summary.add(bin.summary)
    }

    private func flushSection(_ l: Int) throws {
        guard levels[l].sectionRecords > 0 else { return }
        let raw = levels[l].records.bytes
        let compressed = try deflater.compress(raw)
        largestSection = max(largestSection, raw.count)
        try indexes[l].append(BBISection(chromosome: levels[l].sectionStart.0, start: levels[l].sectionStart.1,
                                         endChromosome: levels[l].sectionEnd.0, end: levels[l].sectionEnd.1,
                                         offset: UInt64(levels[l].stored), size: UInt64(compressed.count)))
        try storage[l].append(compressed)
        levels[l].stored += compressed.count
        levels[l].records = BBIBytes()
        levels[l].sectionRecords = 0
    }

    /// Writes the levels up to `longest` bases (at least the first): each one's record
    /// count, its sections and their R-tree; returns their zoom headers.
    func write(to output: PatchableOutput, longest: Int) throws -> (count: Int, headers: [UInt8]) {
        for l in levels.indices { try flushSection(l) }
        var kept = levels.indices.filter { levels[$0].reduction <= longest && levels[$0].recordCount > 0 }
        if kept.isEmpty, let first = levels.first, first.recordCount > 0 { kept = [0] }
        var headers = BBIBytes()
        for l in kept {
            let dataOffset = output.position
            var count = BBIBytes()
            count.u32(UInt32(levels[l].recordCount))
            try output.append(count.bytes)
            let base = UInt64(output.position)
            try storage[l].readBack { try output.append($0) }
            let indexOffset = output.position
            try indexes[l].write(to: output, itemsPerSlot: UInt32(BBIZoomLevels.recordsPerSection), shift: base)
            headers.u32(UInt32(levels[l].reduction))
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
