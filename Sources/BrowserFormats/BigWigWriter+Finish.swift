extension BigWigWriter {
    /// Ends the file: the last section, the data's R-tree, the zoom levels up to the
    /// longest chromosome, the chromosome tree and the closing magic; then patches the
    /// header, the total summary and the section count.
    public func finish() throws {
        if let chromosome = current { try endChromosome(length: chromosome.lastEnd) }
        try flushSection()
        let indexOffset = output.position
        try output.append(BBI.rTree(dataSections, at: UInt64(indexOffset), itemsPerSlot: 1024))
        let zoomed = try zooms.write(to: output, longest: Int(chromosomes.map(\.length).max() ?? 0))
        let treeOffset = output.position
        try output.append(BBI.chromosomeTree(chromosomes, at: UInt64(treeOffset)))
        var magic = BBIBytes()
        magic.u32(BBI.bigWigMagic)
        try output.append(magic.bytes)
        let header = BBI.header(magic: BBI.bigWigMagic, zoomLevels: zoomed.count, chromosomeTree: treeOffset, data: dataCountOffsetInFile,
                                index: indexOffset, fieldCount: 0, definedFieldCount: 0, autoSql: 0,
                                bufferSize: max(largestUncompressedSection, zooms.largestSection))
        try output.patch(at: 0, header + zoomed.headers)
        try output.patch(at: BBI.summaryOffset, totalSummary.bytes)
        var count = BBIBytes()
        count.u64(UInt64(dataSections.count))
        try output.patch(at: dataCountOffsetInFile, count.bytes)
    }
}
