/// Writes a bigWig file (UCSC BBI format, version 4: Kent et al. 2010, and UCSC's
/// bigWig/bbiFile specification) in one pass: a header, patched at the end; the data as
/// zlib-compressed sections (fixedStep for even runs of intervals, bedGraph for the rest) with their R-tree index; zoom levels (summaries of
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
    static let itemsPerSection = 1024
    /// A run of evenly spaced intervals of one length this long or longer gets a section of
    /// its own, stored as fixedStep (4 bytes an interval instead of bedGraph's 12).
    static let shortestFixedRun = 64
    private(set) var chromosomes: [(name: [UInt8], length: UInt32)] = []
    private(set) var current: (name: String, lastEnd: Int)?
    private var section = Section()
    let dataSections: BBISectionIndex
    private(set) var largestUncompressedSection = 0
    private(set) var dataCountOffsetInFile = 0
    private(set) var totalSummary = BBISummary()
    let zooms: BBIZoomLevels
    private let deflater = BBIDeflater()

    /// The intervals of the section being filled, and whether they are evenly spaced and
    /// of one length (stored as fixedStep) or not (stored as bedGraph).
    private struct Section {
        var starts: [UInt32] = [], ends: [UInt32] = [], values: [Float] = []
        var even = true

        var count: Int { values.count }

        /// Whether [start, end) keeps the intervals evenly spaced and of one length.
        func continuesEvenly(start: UInt32, end: UInt32) -> Bool {
            guard let first = starts.first, let last = starts.last else { return true }
            let span = ends[0] - first
            guard end - start == span else { return false }
            return count == 1 || start - last == starts[1] - first
        }
    }

    /// A writer to `output` (which must be empty) whose zoom levels start at `firstReduction`
    /// bases (bedGraphToBigWig's choice: about 10 times the intervals' span) and grow 4× a
    /// level, each stored in a `SpillStorage` from `spill` until the end.
    public init(output: PatchableOutput, firstReduction: Int, spill: () throws -> SpillStorage) throws {
        self.output = output
        zooms = try BBIZoomLevels(firstReduction: firstReduction, spill: spill)
        dataSections = BBISectionIndex(storage: try spill())
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
        let (s, e) = (UInt32(start), UInt32(end))
        if section.even, !section.continuesEvenly(start: s, end: e) {
            // A long even run is worth a section; a short one becomes the start of a bedGraph one.
            if section.count >= BigWigWriter.shortestFixedRun { try flushSection() } else { section.even = false }
        }
        section.starts.append(s)
        section.ends.append(e)
        section.values.append(value)
        totalSummary.add(Double(value), bases: end - start)
        try zooms.add(chromosome: chromosomeNumber, start: start, end: end, value: Double(value))
        if section.count == BigWigWriter.itemsPerSection { try flushSection() }
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

    /// Writes the section: a 24-byte header (chromosome, start, end, step, span, type,
    /// count), then 4 bytes an interval (fixedStep, type 3) or 12 (bedGraph, type 1).
    func flushSection() throws {
        guard let first = section.starts.first, let lastEnd = section.ends.last else { return }
        let even = section.even
        var raw = BBIBytes()
        raw.bytes.reserveCapacity(24 + section.count * (even ? 4 : 12))
        raw.u32(chromosomeNumber)
        raw.u32(first)
        raw.u32(lastEnd)
        raw.u32(even ? (section.count > 1 ? section.starts[1] - first : section.ends[0] - first) : 0)
        raw.u32(even ? section.ends[0] - first : 0)
        raw.u8(even ? 3 : 1)
        raw.u8(0)
        raw.u16(UInt16(section.count))
        for i in 0..<section.count {
            if !even {
                raw.u32(section.starts[i])
                raw.u32(section.ends[i])
            }
            raw.f32(section.values[i])
        }
        largestUncompressedSection = max(largestUncompressedSection, raw.bytes.count)
        let compressed = try deflater.compress(raw.bytes)
        try dataSections.append(BBISection(chromosome: chromosomeNumber, start: first, end: lastEnd,
                                           offset: UInt64(output.position), size: UInt64(compressed.count)))
        try output.append(compressed)
        section = Section()
        section.starts.reserveCapacity(BigWigWriter.itemsPerSection)
        section.ends.reserveCapacity(BigWigWriter.itemsPerSection)
        section.values.reserveCapacity(BigWigWriter.itemsPerSection)
    }
}
