import BrowserFormats

/// An output written as BGZF, with a tabix index of its lines for a file (`-o x.bed.gz`):
/// what `bgzip` and `tabix -p bed` would make of the plain output, written as it goes.
///
/// Lines before the first data line that start with `track`, `browser` or `#` are header
/// lines (tabix's skip count and comment character; a table's first line is its header).
/// Each data line's interval (`TabixLayout`) goes into two indexes built side by side, a TBI
/// and a CSI of 8 levels (as `tabix -C` builds for BED); the TBI is written unless a line
/// ends past its 2²⁹ bp, and then the CSI.
final class BGZFSink: OutputSink {
    /// The members the writer made, not yet taken.
    private final class Members { var bytes: [UInt8] = [] }
    private let members = Members()
    private let writer: BGZFWriter
    private var indexes: (tbi: TabixIndex?, csi: TabixIndex)?
    private var chromosome: (name: [UInt8], number: Int)?
    private var chromosomes = 0
    private var headerLines = 0
    private var dataStarted = false
    private var lines = LineSplitter()
    /// What the indexes are to get, in order, once the virtual offsets are known (blocks
    /// are compressed 8 at a time, on all cores).
    private var waiting: [IndexEntry] = []
    private var resolvedUpTo = 0
    let path: String
    /// What the lines are, for the index.
    let layout: TabixLayout

    private enum IndexEntry {
        /// The first data line starts here.
        case start(BGZFWriter.Position)
        case chromosome(String)
        case line(chromosome: Int, begin: Int, end: Int, endsAt: BGZFWriter.Position)
    }

    init(path: String, layout: TabixLayout = .bed) {
        self.path = path
        self.layout = layout
        let members = members
        writer = BGZFWriter(batch: 8) { members.bytes += $0 }
    }

    var keepsOffsets: Bool { false }

    func noteRecordLength(_ length: Int, of record: String) {}

    /// Hands the members compressed so far to `file`.
    private func passCompressed(to file: OutputFile) throws(GenomeIOError) {
        guard !members.bytes.isEmpty else { return }
        try file.writeRaw(members.bytes)
        members.bytes.removeAll(keepingCapacity: true)
    }

    /// Compresses and indexes whole lines; a line cut by the end of `bytes` waits for the rest.
    func write(_ bytes: ArraySlice<UInt8>, to file: OutputFile) throws(GenomeIOError) {
        try lines.split(bytes) { (line) throws(GenomeIOError) in try self.line(line) }
        try passCompressed(to: file)
    }

    private func line(_ line: ArraySlice<UInt8>) throws(GenomeIOError) {
        do {
            if !dataStarted {
                if LineSplitter.isHeader(line) || (layout == .table && headerLines == 0) {
                    try writer.write(line)
                    headerLines += 1
                    return
                }
                dataStarted = true
                waiting.append(.start(writer.position))
            }
            try writer.write(line)
            let interval = switch layout {
            case .vcf: BGZFSink.vcfInterval(line)
            case .gff: BGZFSink.gffInterval(line)
            case .bed, .table: LineSplitter.interval(line)
            }
            guard let (name, begin, end) = interval else {
                throw GenomeIOError.writeFailed(path: path, reason: "cannot index a line without chromosome, start and end")
            }
            if let current = chromosome?.name, current.elementsEqual(name) {} else {
                chromosome = (Array(name), chromosomes)
                chromosomes += 1
                waiting.append(.chromosome(String(decoding: name, as: UTF8.self)))
            }
            waiting.append(.line(chromosome: chromosome?.number ?? 0, begin: begin, end: end, endsAt: writer.position))
            if writer.compressedOffset != resolvedUpTo { try resolve() }
        } catch let error as GenomeIOError {
            throw error
        } catch {
            throw .writeFailed(path: path, reason: "cannot compress or index: \(error)")
        }
    }

    /// Hands the indexes the entries whose virtual offsets are known.
    private func resolve() throws {
        resolvedUpTo = writer.compressedOffset
        var done = 0
        defer { waiting.removeFirst(done) }
        for entry in waiting {
            switch entry {
            case let .start(position):
                guard let offset = writer.virtualOffset(at: position) else { return }
                var columns = layout.columns
                if layout == .bed || layout == .table { columns.skip = Int32(headerLines) }
                indexes = (TabixIndex(firstOffset: offset, kind: .tbi, levels: 5, columns: columns),
                           TabixIndex(firstOffset: offset, kind: .csi, levels: 8, columns: columns))
            case let .chromosome(name):
                indexes?.tbi?.addChromosome(name)
                indexes?.csi.addChromosome(name)
            case let .line(number, begin, end, position):
                guard let offset = writer.virtualOffset(at: position) else { return }
                if end > 1 << 29 { indexes?.tbi = nil }
                do {
                    try indexes?.tbi?.push(chromosome: number, begin: begin, end: end, endOffset: offset)
                    try indexes?.csi.push(chromosome: number, begin: begin, end: end, endOffset: offset)
                } catch TabixIndex.IndexError.unsorted, TabixIndex.IndexError.chromosomeNotContiguous {
                    throw GenomeIOError.writeFailed(path: path, reason: "the lines are not sorted by chromosome and position, so the .gz output cannot be indexed; sort the input (bcftools sort, sort -k1,1 -k2,2n) or write plain text")
                }
            }
            done += 1
        }
    }

    /// A GFF line's chromosome and 0-based interval: columns 1, 4 − 1 and 5, as `tabix -p gff` reads them.
    static func gffInterval(_ line: ArraySlice<UInt8>) -> (name: ArraySlice<UInt8>, begin: Int, end: Int)? {
        let fields = line.split(separator: 0x09, maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count >= 5, let start = Int(String(decoding: fields[3], as: UTF8.self)),
              let end = Int(String(decoding: fields[4], as: UTF8.self)), start >= 1, end >= start else { return nil }
        return (fields[0], start - 1, end)
    }

    /// A VCF line's chromosome and 0-based interval: POS − 1 to POS − 1 + length(REF), or to
    /// INFO's END, as htslib's tabix reads them.
    static func vcfInterval(_ line: ArraySlice<UInt8>) -> (name: ArraySlice<UInt8>, begin: Int, end: Int)? {
        let fields = line.split(separator: 0x09, maxSplits: 8, omittingEmptySubsequences: false)
        guard fields.count >= 5, let position = Int(String(decoding: fields[1], as: UTF8.self)) else { return nil }
        let begin = position - 1
        var end = begin + fields[3].count
        if fields.count >= 8 {
            for item in fields[7].split(separator: 0x3B) where item.starts(with: "END=".utf8) {
                if let value = Int(String(decoding: item.dropFirst(4), as: UTF8.self)), value > begin { end = value }
            }
        }
        return (fields[0], max(begin, 0), max(end, begin + 1))
    }

    /// Ends the BGZF stream (its last member and the end-of-file member) and returns the
    /// index: its suffix and its bytes, BGZF-compressed.
    func finish(_ file: OutputFile) throws(GenomeIOError) -> (suffix: String, bytes: [UInt8])? {
        let index = try finishIndex()
        try passCompressed(to: file)
        return index
    }

    private func finishIndex() throws(GenomeIOError) -> (suffix: String, bytes: [UInt8]) {
        do {
            try writer.flushBlock()
            try resolve()
            let final = writer.virtualOffset
            try writer.finish()
            var columns = layout.columns
            if layout == .bed || layout == .table { columns.skip = Int32(headerLines) }
            var built = indexes ?? (TabixIndex(firstOffset: final, kind: .tbi, levels: 5, columns: columns),
                                    TabixIndex(firstOffset: final, kind: .csi, levels: 8, columns: columns))
            built.tbi?.finish(finalOffset: final)
            built.csi.finish(finalOffset: final)
            let index = built.tbi ?? built.csi
            var compressed: [UInt8] = []
            let indexWriter = BGZFWriter { compressed += $0 }
            try indexWriter.write(index.bytes())
            try indexWriter.finish()
            return (index.kind == .tbi ? ".tbi" : ".csi", compressed)
        } catch {
            throw .writeFailed(path: path, reason: "cannot compress the index: \(error)")
        }
    }
}

/// What the lines of a BGZF output are, for its tabix index (`tabix -p`'s presets).
public enum TabixLayout: Sendable, Equatable {
    /// BED-like: chromosome, 0-based start and end in columns 1–3 (`-p bed`).
    case bed
    /// VCF (`-p vcf`).
    case vcf
    /// GFF: columns 1, 4 and 5, 1-based and inclusive (`-p gff`).
    case gff
    /// A table whose first line names its columns, then BED-like lines (`-0 -s1 -b2 -e3 -S1`).
    case table

    var columns: TabixIndex.Columns {
        switch self {
        case .bed, .table: TabixIndex.Columns()
        case .vcf: TabixIndex.Columns.vcf
        case .gff: TabixIndex.Columns.gff
        }
    }
}
