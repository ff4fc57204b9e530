/// Writes a bigWig file (UCSC BBI format, version 4: Kent et al. 2010, and UCSC's
/// bigWig/bbiFile specification) in one pass: a header, patched at the end; the data as
/// zlib-compressed bedGraph sections with their R-tree index; zoom levels (summaries of
/// the data at reductions growing 4× a level, as bedGraphToBigWig makes) with theirs; and
/// the chromosome B+ tree, which can only be written once every chromosome is known, after
/// the data (readers follow the header's offset to it).
///
/// Intervals come in order within a chromosome, without overlap; each chromosome's length
/// comes at its end, and no interval may pass it.
public final class BigWigWriter {
    public enum WriteError: Error, Equatable, Sendable {
        case outOfOrder(chromosome: String, start: Int)
        case pastChromosomeEnd(chromosome: String, end: Int, length: Int)
        case tooLong(chromosome: String, length: Int)
    }

    let output: PatchableOutput
    private let itemsPerSection = 1024
    private(set) var chromosomes: [(name: [UInt8], length: UInt32)] = []
    private(set) var current: (name: String, lastEnd: Int)?
    private var section = BBIBytes()
    private var sectionItems = 0
    private var sectionStart: UInt32 = 0, sectionEnd: UInt32 = 0
    private(set) var dataSections: [BBISection] = []
    private(set) var largestUncompressedSection = 0
    private(set) var dataCountOffsetInFile = 0
    private(set) var totalSummary = BBISummary()
    let zooms: BBIZoomLevels

    /// A writer to `output` (which must be empty) whose zoom levels start at `firstReduction`
    /// bases (bedGraphToBigWig's choice: about 10 times the intervals' span) and grow 4× a
    /// level, each stored in a `SpillStorage` from `spill` until the end.
    public init(output: PatchableOutput, firstReduction: Int, spill: () throws -> SpillStorage) throws {
        self.output = output
        zooms = try BBIZoomLevels(firstReduction: firstReduction, spill: spill)
        // Header, zoom headers and total summary, patched at the end; then the section count.
        try output.append([UInt8](repeating: 0, count: 64 + 24 * BBI.maximumZoomLevels + 40))
        dataCountOffsetInFile = output.position
        try output.append([UInt8](repeating: 0, count: 8))
    }

    public func beginChromosome(_ name: String) throws {
        if let chromosome = current { try endChromosome(length: chromosome.lastEnd) }
        chromosomes.append((Array(name.utf8), 0))
        current = (name, 0)
    }

    /// Adds [start, end) with `value` to the current chromosome.
    public func add(start: Int, end: Int, value: Float) throws {
        guard let chromosome = current else { return }
        guard start >= chromosome.lastEnd, end > start else { throw WriteError.outOfOrder(chromosome: chromosome.name, start: start) }
        guard end <= 1 << 31 else { throw WriteError.tooLong(chromosome: chromosome.name, length: end) }
        current?.lastEnd = end
        if sectionItems == 0 { sectionStart = UInt32(start) }
        section.u32(UInt32(start))
        section.u32(UInt32(end))
        section.f32(value)
        sectionItems += 1
        sectionEnd = UInt32(end)
        totalSummary.add(Double(value), bases: end - start)
        try zooms.add(chromosome: chromosomeNumber, start: start, end: end, value: Double(value))
        if sectionItems == itemsPerSection { try flushSection() }
    }

    /// Ends the current chromosome, `length` bases long.
    public func endChromosome(length: Int) throws {
        guard let chromosome = current else { return }
        guard chromosome.lastEnd <= length else {
            throw WriteError.pastChromosomeEnd(chromosome: chromosome.name, end: chromosome.lastEnd, length: length)
        }
        guard length < 1 << 32 else { throw WriteError.tooLong(chromosome: chromosome.name, length: length) }
        chromosomes[chromosomes.count - 1].length = UInt32(length)
        try flushSection()
        try zooms.endChromosome(length: length)
        current = nil
    }

    var chromosomeNumber: UInt32 { UInt32(chromosomes.count - 1) }

    func flushSection() throws {
        guard sectionItems > 0 else { return }
        var header = BBIBytes()
        header.u32(chromosomeNumber)
        header.u32(sectionStart)
        header.u32(sectionEnd)
        header.u32(0)  // step (bedGraph sections have none)
        header.u32(0)  // span
        header.u8(1)   // type 1: bedGraph
        header.u8(0)
        header.u16(UInt16(sectionItems))
        let raw = header.bytes + section.bytes
        largestUncompressedSection = max(largestUncompressedSection, raw.count)
        let compressed = try BBI.compress(raw)
        dataSections.append(BBISection(chromosome: chromosomeNumber, start: sectionStart, end: sectionEnd,
                                   offset: UInt64(output.position), size: UInt64(compressed.count)))
        try output.append(compressed)
        section = BBIBytes()
        sectionItems = 0
    }
}
