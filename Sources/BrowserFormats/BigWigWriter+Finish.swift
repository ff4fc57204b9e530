extension BigWigWriter {
    /// Ends the file: the last section, the data's R-tree, the zoom levels up to the
    /// longest chromosome, the chromosome tree and the closing magic; then patches the
    /// header, the total summary and the section count.
    public func finish() throws {
        if let chromosome = current { try endChromosome(length: chromosome.lastEnd) }
        try flushSection()
        let indexOffset = output.position
        try dataSections.write(to: output, itemsPerSlot: UInt32(BigWigWriter.itemsPerSection))
        try BBI.finish(output, magic: BBI.bigWigMagic, zooms: zooms, chromosomes: chromosomes, index: indexOffset,
                       data: dataCountOffsetInFile, dataCount: dataSections.count, fieldCount: 0, definedFieldCount: 0, autoSql: 0,
                       summary: (BBI.summaryOffset, totalSummary), largestSection: largestUncompressedSection)
    }
}
