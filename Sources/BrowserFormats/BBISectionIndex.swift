/// The sections of one stream of a BBI file (the data, or one zoom level) and their R-tree
/// (cirTree) index. Sections are kept as the index's leaf items (32 bytes each) in a
/// `SpillStorage`, with only the bounds of each leaf node in memory: a 3-Gbp genome's
/// bigWig at step 1 has 3 million sections, 96 MB of leaf items, and 12,000 leaf nodes.
final class BBISectionIndex {
    /// A range of the genome from (chromosome, start) to (chromosome, end).
    struct Bounds {
        var startChromosome: UInt32, start: UInt32, endChromosome: UInt32, end: UInt32

        /// Widens the end to cover `other`, which starts at or after this.
        mutating func extend(to other: Bounds) {
            if (other.endChromosome, other.end) > (endChromosome, end) { (endChromosome, end) = (other.endChromosome, other.end) }
        }
    }

    private let storage: SpillStorage
    private var pending = BBIBytes()
    private(set) var count = 0
    /// Bounds of each leaf node's sections: every `BBI.blockSize` sections make one.
    private var leaves: [Bounds] = []

    init(storage: SpillStorage) { self.storage = storage }

    /// Adds the next section, which starts at or after the ones before it.
    func append(_ section: BBISection) throws {
        let bounds = Bounds(startChromosome: section.chromosome, start: section.start, endChromosome: section.endChromosome, end: section.end)
        if count % BBI.blockSize == 0 { leaves.append(bounds) } else { leaves[leaves.count - 1].extend(to: bounds) }
        count += 1
        pending.u32(bounds.startChromosome); pending.u32(bounds.start); pending.u32(bounds.endChromosome); pending.u32(bounds.end)
        pending.u64(section.offset)
        pending.u64(section.size)
        if pending.bytes.count >= 1 << 16 { try spill() }
    }

    private func spill() throws {
        try storage.append(pending.bytes)
        pending = BBIBytes()
    }

    /// Writes the R-tree at the output's position: its header and its nodes, root first,
    /// each with up to `BBI.blockSize` children; `shift` is added to every section offset
    /// (zoom sections are numbered from their spill storage's start). Data ends where the
    /// index begins.
    func write(to output: PatchableOutput, itemsPerSlot: UInt32, shift: UInt64 = 0) throws {
        try spill()
        let offset = UInt64(output.position)
        var out = BBIBytes()
        var whole = leaves.first ?? Bounds(startChromosome: 0, start: 0, endChromosome: 0, end: 0)
        for leaf in leaves { whole.extend(to: leaf) }
        out.u32(BBI.rTreeMagic)
        out.u32(UInt32(BBI.blockSize))
        out.u64(UInt64(count))
        out.u32(whole.startChromosome); out.u32(whole.start); out.u32(whole.endChromosome); out.u32(whole.end)
        out.u64(offset)
        out.u32(itemsPerSlot)
        out.u32(0)
        guard count > 0 else {
            // An empty leaf root.
            out.u8(1); out.u8(0); out.u16(0)
            try output.append(out.bytes)
            return
        }
        // Inner levels from the leaf nodes up, each node a range of the level below, and
        // their bounds; levels[0] is the leaf nodes themselves.
        var levels: [[Range<Int>]] = [stride(from: 0, to: count, by: BBI.blockSize).map { $0..<min($0 + BBI.blockSize, count) }]
        var bounds: [[Bounds]] = [leaves]
        while levels[levels.count - 1].count > 1 {
            let below = bounds[bounds.count - 1]
            let nodes = stride(from: 0, to: below.count, by: BBI.blockSize).map { $0..<min($0 + BBI.blockSize, below.count) }
            levels.append(nodes)
            bounds.append(nodes.map { r in r.dropFirst().reduce(into: below[r.lowerBound]) { $0.extend(to: below[$1]) } })
        }
        // Layout, root level first: a leaf node is 4 + 32 bytes a child, an inner one 4 + 24.
        var levelStart = [UInt64](repeating: 0, count: levels.count)
        var position = offset + 48
        for l in levels.indices.reversed() {
            levelStart[l] = position
            position += levels[l].reduce(0) { $0 + 4 + (l == 0 ? 32 : 24) * UInt64($1.count) }
        }
        for l in levels.indices.dropFirst().reversed() {
            var childOffset = levelStart[l - 1]
            for node in levels[l] {
                out.u8(0); out.u8(0); out.u16(UInt16(node.count))
                for child in node {
                    let b = bounds[l - 1][child]
                    out.u32(b.startChromosome); out.u32(b.start); out.u32(b.endChromosome); out.u32(b.end)
                    out.u64(childOffset)
                    childOffset += 4 + (l - 1 == 0 ? 32 : 24) * UInt64(levels[l - 1][child].count)
                }
            }
        }
        try output.append(out.bytes)
        try writeLeaves(to: output, shift: shift)
    }

    /// The leaf nodes, streamed from the storage: a node header before every
    /// `BBI.blockSize` items, and `shift` added to each item's offset.
    private func writeLeaves(to output: PatchableOutput, shift: UInt64) throws {
        var out = BBIBytes()
        var carry: [UInt8] = []
        var written = 0
        try storage.readBack { bytes in
            carry += bytes
            var at = 0
            while carry.count - at >= 32 {
                if written % BBI.blockSize == 0 { out.u8(1); out.u8(0); out.u16(UInt16(min(BBI.blockSize, count - written))) }
                out.bytes += carry[at..<(at + 16)]
                let offset = (0..<8).reduce(UInt64(0)) { $0 | UInt64(carry[at + 16 + $1]) << (8 * $1) }
                out.u64(offset + shift)
                out.bytes += carry[(at + 24)..<(at + 32)]
                at += 32
                written += 1
            }
            carry.removeFirst(at)
            if out.bytes.count >= 1 << 16 {
                try output.append(out.bytes)
                out = BBIBytes()
            }
        }
        try output.append(out.bytes)
    }
}
