/// A tabix index (`.tbi`, or `.csi` for chromosomes past 2²⁹ bp) of a BGZF file of sorted
/// intervals, built as htslib builds one while it reads the file (`hts_idx_push`,
/// `hts_idx_finish`, `idx_save_core` in hts.c; `tbx_index` in tbx.c), so that `tabix`
/// answers region queries from it as from its own.
///
/// Each data line is pushed with its chromosome number, its 0-based half-open interval and
/// the virtual offset just past it; lines come in file order, sorted by start within a
/// chromosome, and a chromosome's lines are contiguous.
public struct TabixIndex {
    public enum Kind: Sendable { case tbi, csi }

    /// What a line's columns mean: UCSC-style BED (0-based starts) in columns 1–3, `#`
    /// comments, and `skip` leading lines (a track line).
    public struct Columns: Sendable {
        public var sequence: Int32 = 1, begin: Int32 = 2, end: Int32 = 3
        public var skip: Int32 = 0
        /// TBX_UCSC: starts are 0-based and ends exclusive; TBX_VCF: the VCF columns.
        static let ucscFormat: Int32 = 0x10000
        static let vcfFormat: Int32 = 2
        public var format = Columns.ucscFormat

        public init(skip: Int32 = 0) { self.skip = skip }

        /// `tabix -p gff`: columns 1, 4 and 5, 1-based and inclusive (TBX_GENERIC).
        public static var gff: Columns {
            var columns = Columns()
            (columns.format, columns.begin, columns.end) = (0, 4, 5)
            return columns
        }

        /// `tabix -p vcf`: CHROM and POS, the end from REF (or INFO's END).
        public static var vcf: Columns {
            var columns = Columns()
            (columns.format, columns.end) = (vcfFormat, 0)
            return columns
        }
    }

    public enum IndexError: Error, Equatable, Sendable {
        case unsorted(chromosome: Int, start: Int)
        case chromosomeNotContiguous(chromosome: Int)
        case tooLong(end: Int)
    }

    public let kind: Kind
    public let minShift: Int
    public let levels: Int
    let columns: Columns
    private var binCount: Int { ((1 << (3 * levels + 3)) - 1) / 7 }
    private var metaBin: UInt32 { UInt32(binCount + 1) }

    private struct Reference {
        var bins: [UInt32: [(UInt64, UInt64)]] = [:]
        var linear: [UInt64] = []
    }

    private var references: [Reference] = []
    private var names: [String] = []
    // hts_idx_t's `z`: the bin being saved and where the previous line ended.
    private var saveReference = -1, lastReference = -1
    private var saveBin: UInt32 = .max, lastBin: UInt32 = .max
    private var saveOffset: UInt64, lastOffset: UInt64, offsetBegin: UInt64
    private var lastStart = Int.min
    private var mapped: UInt64 = 0
    private var finished = false

    /// A builder for a file whose first data line starts at `firstOffset` (after any header
    /// lines), with chromosomes up to `longestChromosome` bases: TBI when they fit in its
    /// 2²⁹ bp, else CSI with as many levels as they need (`hts_adjust_csi_settings`).
    public init(firstOffset: UInt64, longestChromosome: Int, columns: Columns = Columns()) {
        if longestChromosome < (1 << 29) {
            self.init(firstOffset: firstOffset, kind: .tbi, levels: 5, columns: columns)
        } else {
            var levels = 5, maximum = 1 << (14 + 15)
            while longestChromosome + 256 > maximum && levels < 9 {
                levels += 1
                maximum *= 8
            }
            self.init(firstOffset: firstOffset, kind: .csi, levels: levels, columns: columns)
        }
    }

    /// A builder of one kind: TBI has 5 levels (2²⁹ bp); `tabix -C` gives BED 8 (2³⁸ bp).
    public init(firstOffset: UInt64, kind: Kind, levels: Int, columns: Columns = Columns()) {
        self.columns = columns
        self.kind = kind
        self.levels = levels
        minShift = 14
        saveOffset = firstOffset
        lastOffset = firstOffset
        offsetBegin = firstOffset
    }

    /// The name of chromosome `number`, which must be given in order (0, 1, …) before its lines.
    public mutating func addChromosome(_ name: String) {
        names.append(name)
        references.append(Reference())
    }

    /// hts_reg2bin: the smallest bin holding [begin, end).
    func bin(begin: Int, end: Int) -> UInt32 {
        var shift = minShift, first = ((1 << (3 * levels + 3)) - 1) / 7, last = end - 1
        for level in stride(from: levels, to: 0, by: -1) {
            first -= 1 << (3 * level)
            if begin >> shift == last >> shift { return UInt32(first + (begin >> shift)) }
            shift += 3
        }
        return 0
    }

    /// Adds a line of chromosome `chromosome` over [begin, end) that ends at virtual offset `end offset`.
    public mutating func push(chromosome: Int, begin: Int, end: Int, endOffset: UInt64) throws(IndexError) {
        if end > 1 << (minShift + 3 * levels) { throw .tooLong(end: end) }
        if lastReference != chromosome {
            if !references[chromosome].bins.isEmpty || !references[chromosome].linear.isEmpty {
                throw .chromosomeNotContiguous(chromosome: chromosome)
            }
            lastReference = chromosome
            lastBin = .max
        } else if lastStart > begin {
            throw .unsorted(chromosome: chromosome, start: begin)
        }
        let begin = max(begin, 0), end = max(end, 1)
        addToLinear(chromosome, begin: begin, end: end, offset: lastOffset)
        let bin = bin(begin: begin, end: end)
        if lastBin != bin {
            if saveBin != .max { references[saveReference].bins[saveBin, default: []].append((saveOffset, lastOffset)) }
            if lastBin == .max && saveBin != .max {
                // A new chromosome: close the last one's pseudo-bin.
                references[saveReference].bins[metaBin, default: []].append((offsetBegin, lastOffset))
                references[saveReference].bins[metaBin, default: []].append((mapped, 0))
                mapped = 0
                offsetBegin = lastOffset
            }
            saveOffset = lastOffset
            saveBin = bin
            lastBin = bin
            saveReference = chromosome
        }
        mapped += 1
        lastOffset = endOffset
        lastStart = begin
    }

    private mutating func addToLinear(_ chromosome: Int, begin: Int, end: Int, offset: UInt64) {
        let first = begin >> minShift, last = (end - 1) >> minShift
        if references[chromosome].linear.count < last + 1 {
            references[chromosome].linear += [UInt64](repeating: .max, count: last + 1 - references[chromosome].linear.count)
        }
        for i in first...last where references[chromosome].linear[i] == .max { references[chromosome].linear[i] = offset }
    }
}

extension TabixIndex {
    /// hts_bin_first: the first bin of a level.
    private static func firstBin(level: Int) -> Int { ((1 << (3 * level)) - 1) / 7 }

    private func level(of bin: Int) -> Int {
        var level = 0
        while level < levels && bin >= TabixIndex.firstBin(level: level + 1) { level += 1 }
        return level
    }

    /// Closes the last bin at `finalOffset` (the virtual offset just past the last line),
    /// fills the linear index, and merges small bins into their parents and adjacent
    /// chunks of one BGZF block into one, as `hts_idx_finish` does.
    public mutating func finish(finalOffset: UInt64) {
        guard !finished else { return }
        finished = true
        if saveReference >= 0 {
            references[saveReference].bins[saveBin, default: []].append((saveOffset, finalOffset))
            references[saveReference].bins[metaBin, default: []].append((offsetBegin, finalOffset))
            references[saveReference].bins[metaBin, default: []].append((mapped, 0))
        }
        for r in references.indices {
            // update_loff: an empty 16-kbp window points where the next one does.
            var linear = references[r].linear
            if linear.count >= 2 {
                for l in stride(from: linear.count - 2, through: 0, by: -1) where linear[l] == .max { linear[l] = linear[l + 1] }
            }
            references[r].linear = linear
            compressBinning(r)
        }
    }

    /// compress_binning: a bin whose chunks span less than 64 KiB of compressed file joins
    /// its parent (bottom level first); then chunks that meet inside a block are merged.
    private mutating func compressBinning(_ r: Int) {
        var bins = references[r].bins
        for level in stride(from: levels, to: 0, by: -1) {
            let start = TabixIndex.firstBin(level: level)
            for bin in bins.keys.sorted() where bin < UInt32(binCount) && bin >= UInt32(start) {
                guard var chunks = bins[bin] else { continue }
                if level < levels && chunks.count > 1 { chunks.sort { $0.0 < $1.0 } }
                bins[bin] = chunks
                guard let first = chunks.first, let last = chunks.last, (last.1 >> 16) - (first.0 >> 16) < 0x10000 else { continue }
                let parent = (bin - 1) >> 3
                guard bins[parent] != nil else { continue }
                bins[parent, default: []] += chunks
                bins[bin] = nil
            }
        }
        if var root = bins[0] {
            root.sort { $0.0 < $1.0 }
            bins[0] = root
        }
        for (bin, chunks) in bins where bin < UInt32(binCount) {
            var merged: [(UInt64, UInt64)] = []
            for chunk in chunks {
                if let last = merged.last, last.1 >> 16 >= chunk.0 >> 16 {
                    merged[merged.count - 1].1 = max(last.1, chunk.1)
                } else {
                    merged.append(chunk)
                }
            }
            bins[bin] = merged
        }
        references[r].bins = bins
    }

    /// The index file's uncompressed bytes (the caller BGZF-compresses them): TBI or CSI with
    /// the tabix configuration, bins in ascending order.
    public func bytes() -> [UInt8] {
        var out: [UInt8] = []
        func int32(_ v: Int32) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        func uint32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        func uint64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        var meta: [UInt8] = []
        let nameBytes: [UInt8] = names.flatMap { name -> [UInt8] in Array(name.utf8) + [0] }
        for v in [columns.format, columns.sequence, columns.begin, columns.end, Int32(UInt8(ascii: "#")), columns.skip,
                  Int32(nameBytes.count)] {
            withUnsafeBytes(of: v.littleEndian) { meta += $0 }
        }
        meta += nameBytes
        switch kind {
        case .tbi:
            out += Array("TBI\u{1}".utf8)
            int32(Int32(references.count))
            out += meta
        case .csi:
            out += Array("CSI\u{1}".utf8)
            int32(Int32(minShift))
            int32(Int32(levels))
            uint32(UInt32(meta.count))
            out += meta
            int32(Int32(references.count))
        }
        for reference in references {
            int32(Int32(reference.bins.count))
            for bin in reference.bins.keys.sorted() {
                let chunks = reference.bins[bin] ?? []
                uint32(bin)
                if kind == .csi {
                    // loff: the linear index's entry for the bin's first bottom-level window.
                    var loff: UInt64 = 0
                    if bin < UInt32(binCount) {
                        let level = level(of: Int(bin))
                        let bottom = (Int(bin) - TabixIndex.firstBin(level: level)) << (3 * (levels - level))
                        loff = bottom < reference.linear.count ? reference.linear[bottom] : 0
                    }
                    uint64(loff)
                }
                int32(Int32(chunks.count))
                for (u, v) in chunks {
                    uint64(u)
                    uint64(v)
                }
            }
            if kind == .tbi {
                int32(Int32(reference.linear.count))
                for offset in reference.linear { uint64(offset) }
            }
        }
        uint64(0)
        return out
    }
}
