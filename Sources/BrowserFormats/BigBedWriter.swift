/// Writes a bigBed file (UCSC BBI format, version 4) in one pass, as `bedToBigBed` lays it
/// out but with the chromosome B+ tree after the data: the header, patched at the end; the
/// autoSql definition of the columns; zlib-compressed sections of up to 512 records (each
/// chromosome, start and end as numbers, the other columns as tab-separated text); their
/// R-tree; and zoom levels of the coverage depth (bases covered, least and greatest depth,
/// and its sums), as bedToBigBed makes them.
///
/// Records come sorted by chromosome (in the order chromosomes are first seen) and start.
public final class BigBedWriter {
    public enum WriteError: Error, Equatable, Sendable {
        case outOfOrder(chromosome: String, start: Int)
        case unknownLength(chromosome: String)
    }

    static let magic: UInt32 = 0x8789_F2EB
    private let output: PatchableOutput
    private let fieldCount: Int, definedFieldCount: Int
    private let autoSqlOffset: Int
    private let summaryOffset: Int
    private let dataCountOffset: Int
    private let recordsPerSection = 512
    private var numbers: [String: Int] = [:]
    private var names: [String] = []
    private var lengths: [String: Int] = [:]
    private var current: (number: Int, lastStart: Int)?
    private var section = BBIBytes(), sectionRecords = 0
    private var sectionStart: UInt32 = 0, sectionEnd: UInt32 = 0
    private let sections: BBISectionIndex
    private var records = 0
    private var largestSection = 0
    private let zooms: BBIZoomLevels
    private let deflater = BBIDeflater()
    private var summary = BBISummary()
    /// The coverage depth so far on the current chromosome: where it was last settled and
    /// the ends of the records that cover it.
    private var depthFrom = 0
    private var activeEnds: [Int] = []

    /// A writer of records with `fieldCount` columns, the first `definedFieldCount` of them
    /// standard BED, described by `autoSql`.
    public init(output: PatchableOutput, fieldCount: Int, definedFieldCount: Int, autoSql: String, firstReduction: Int,
                spill: () throws -> SpillStorage) throws {
        self.output = output
        self.fieldCount = fieldCount
        self.definedFieldCount = definedFieldCount
        zooms = try BBIZoomLevels(firstReduction: firstReduction, spill: spill)
        sections = BBISectionIndex(storage: try spill())
        // Header and zoom headers, then the autoSql right before the total summary, where
        // readers (libBigWig's bbGetSQL) take its length from.
        try output.append([UInt8](repeating: 0, count: BBI.summaryOffset))
        autoSqlOffset = output.position
        try output.append(Array(autoSql.utf8) + [0])
        summaryOffset = output.position
        try output.append([UInt8](repeating: 0, count: 40))
        dataCountOffset = output.position
        try output.append([UInt8](repeating: 0, count: 8))
    }

    /// The length of a chromosome, given at any time before `finish`.
    public func setLength(_ length: Int, of chromosome: String) {
        lengths[chromosome] = length
        if numbers[chromosome] == nil {
            numbers[chromosome] = names.count
            names.append(chromosome)
        }
    }

    /// Adds a record: its chromosome, 0-based half-open interval, and its other columns
    /// (tab-separated, without a newline).
    public func add(chromosome: String, start: Int, end: Int, rest: ArraySlice<UInt8>) throws {
        let number: Int
        if let known = numbers[chromosome] {
            number = known
        } else {
            number = names.count
            numbers[chromosome] = number
            names.append(chromosome)
        }
        if current?.number != number {
            try endChromosome()
            current = (number, 0)
        }
        guard let state = current, start >= state.lastStart, end >= start else {
            throw WriteError.outOfOrder(chromosome: chromosome, start: start)
        }
        current?.lastStart = start
        if sectionRecords == 0 { sectionStart = UInt32(start) }
        section.u32(UInt32(number))
        section.u32(UInt32(start))
        section.u32(UInt32(end))
        section.bytes += rest
        section.u8(0)
        sectionEnd = max(sectionEnd, UInt32(end))
        sectionRecords += 1
        records += 1
        try settleDepth(upTo: start)
        activeEnds.append(end)
        if sectionRecords == recordsPerSection { try flushSection() }
    }

    /// Hands the depth of coverage up to `position` to the zoom levels and the summary.
    private func settleDepth(upTo position: Int) throws {
        while depthFrom < position, !activeEnds.isEmpty {
            let next = min(activeEnds.min() ?? position, position)
            if next > depthFrom {
                let depth = Double(activeEnds.count)
                summary.add(depth, bases: next - depthFrom)
                try zooms.add(chromosome: UInt32(current?.number ?? 0), start: depthFrom, end: next, value: depth)
            }
            depthFrom = next
            activeEnds.removeAll { $0 <= depthFrom }
        }
        depthFrom = max(depthFrom, position)
    }

    private func endChromosome() throws {
        guard let state = current else { return }
        try flushSection()
        try settleDepth(upTo: Int.max)
        guard let length = lengths[names[state.number]] else { throw WriteError.unknownLength(chromosome: names[state.number]) }
        try zooms.endChromosome(length: length)
        depthFrom = 0
        current = nil
    }

    private func flushSection() throws {
        guard sectionRecords > 0, let state = current else { return }
        largestSection = max(largestSection, section.bytes.count)
        let compressed = try deflater.compress(section.bytes)
        try sections.append(BBISection(chromosome: UInt32(state.number), start: sectionStart, end: sectionEnd,
                                   offset: UInt64(output.position), size: UInt64(compressed.count)))
        try output.append(compressed)
        section = BBIBytes()
        sectionRecords = 0
        sectionEnd = 0
    }

    /// Ends the file: the R-tree, the zoom levels, the chromosome tree (every chromosome
    /// given a length) and the closing magic; then patches the header.
    public func finish() throws {
        try endChromosome()
        let indexOffset = output.position
        try sections.write(to: output, itemsPerSlot: UInt32(recordsPerSection))
        let chromosomes = try names.map { name throws -> (name: [UInt8], length: UInt32) in
            guard let length = lengths[name] else { throw WriteError.unknownLength(chromosome: name) }
            return (Array(name.utf8), UInt32(length))
        }
        try BBI.finish(output, magic: BigBedWriter.magic, zooms: zooms, chromosomes: chromosomes, index: indexOffset,
                       data: dataCountOffset, dataCount: records, fieldCount: fieldCount, definedFieldCount: definedFieldCount,
                       autoSql: autoSqlOffset, summary: (summaryOffset, summary), largestSection: largestSection)
    }
}
