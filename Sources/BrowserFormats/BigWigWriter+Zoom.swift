extension BigWigWriter {
    /// Adds [start, end) to the zoom level's bins ([k·reduction, (k+1)·reduction) of the
    /// chromosome, the last one clipped to its end).
    func addToZoom(_ zoom: ZoomLevel, start: Int, end: Int, value: Float) throws {
        var s = start
        while s < end {
            let binStart = s / zoom.reduction * zoom.reduction, binEnd = binStart + zoom.reduction
            if zoom.bin?.start != binStart {
                try flushBin(zoom)
                zoom.bin = (UInt32(chromosomes.count - 1), binStart, binEnd, Summary())
            }
            let e = min(end, binEnd)
            zoom.bin?.summary.add(value, bases: e - s)
            s = e
        }
    }

    /// Writes the level's open bin as a zoom record: chromosome, start, end, bases covered,
    /// minimum, maximum, sum and sum of squares (the last four as Float, weighted by bases).
    func flushBin(_ zoom: ZoomLevel) throws {
        guard let bin = zoom.bin else { return }
        zoom.bin = nil
        let length = Int(chromosomes[Int(bin.chromosome)].length)
        let end = UInt32(length > 0 ? min(bin.end, length) : bin.end)
        if zoom.sectionRecords == 0 { zoom.sectionStart = (bin.chromosome, UInt32(bin.start)) }
        zoom.records.u32(bin.chromosome)
        zoom.records.u32(UInt32(bin.start))
        zoom.records.u32(end)
        zoom.records.u32(UInt32(bin.summary.bases))
        zoom.records.f32(Float(bin.summary.minimum))
        zoom.records.f32(Float(bin.summary.maximum))
        zoom.records.f32(Float(bin.summary.sum))
        zoom.records.f32(Float(bin.summary.sumOfSquares))
        zoom.sectionEnd = (bin.chromosome, end)
        zoom.sectionRecords += 1
        zoom.recordCount += 1
        if zoom.sectionRecords == itemsPerZoomSection { try flushZoomSection(zoom) }
    }

    var itemsPerZoomSection: Int { 1024 }

    func flushZoomSection(_ zoom: ZoomLevel) throws {
        guard zoom.sectionRecords > 0 else { return }
        let compressed = try BBI.compress(zoom.records.bytes)
        noteSection(size: zoom.records.bytes.count)
        zoom.sections.append(BBISection(chromosome: zoom.sectionStart.0, start: zoom.sectionStart.1, endChromosome: zoom.sectionEnd.0,
                                        end: zoom.sectionEnd.1, offset: UInt64(zoom.storage.size), size: UInt64(compressed.count)))
        try zoom.storage.append(compressed)
        zoom.records = BBIBytes()
        zoom.sectionRecords = 0
    }

    /// Ends the file: the last sections, the data's R-tree, the zoom levels (each level's
    /// record count, its sections and their R-tree) up to the longest chromosome, the
    /// chromosome tree and the closing magic; then patches the header.
    public func finish() throws {
        if let chromosome = current { try endChromosome(length: chromosome.lastEnd) }
        try flushSection()
        for zoom in zooms {
            try flushBin(zoom)
            try flushZoomSection(zoom)
        }
        let indexOffset = output.position
        try output.append(BBI.rTree(dataSections, at: UInt64(indexOffset), itemsPerSlot: 1024))
        let longest = Int(chromosomes.map(\.length).max() ?? 0)
        var kept = zooms.filter { $0.reduction <= longest && $0.recordCount > 0 }
        if kept.isEmpty, let first = zooms.first, first.recordCount > 0 { kept = [first] }
        var zoomHeaders = BBIBytes()
        for zoom in kept {
            let dataOffset = output.position
            var count = BBIBytes()
            count.u32(UInt32(zoom.recordCount))
            try output.append(count.bytes)
            let base = UInt64(output.position)
            try zoom.storage.readBack { try output.append($0) }
            let shifted = zoom.sections.map {
                BBISection(chromosome: $0.chromosome, start: $0.start, endChromosome: $0.endChromosome, end: $0.end,
                           offset: $0.offset + base, size: $0.size)
            }
            let zoomIndex = output.position
            try output.append(BBI.rTree(shifted, at: UInt64(zoomIndex), itemsPerSlot: UInt32(itemsPerZoomSection)))
            zoomHeaders.u32(UInt32(zoom.reduction))
            zoomHeaders.u32(0)
            zoomHeaders.u64(UInt64(dataOffset))
            zoomHeaders.u64(UInt64(zoomIndex))
        }
        let treeOffset = output.position
        try output.append(BBI.chromosomeTree(chromosomes, at: UInt64(treeOffset)))
        var magic = BBIBytes()
        magic.u32(BBI.bigWigMagic)
        try output.append(magic.bytes)
        try patchHeader(zoomLevels: kept.count, zoomHeaders: zoomHeaders.bytes, chromosomeTree: treeOffset, index: indexOffset)
    }

    private func patchHeader(zoomLevels: Int, zoomHeaders: [UInt8], chromosomeTree: Int, index: Int) throws {
        var header = BBIBytes()
        header.u32(BBI.bigWigMagic)
        header.u16(4)
        header.u16(UInt16(zoomLevels))
        header.u64(UInt64(chromosomeTree))
        header.u64(UInt64(dataCountOffsetInFile))
        header.u64(UInt64(index))
        header.u16(0)  // fieldCount
        header.u16(0)  // definedFieldCount
        header.u64(0)  // autoSqlOffset
        header.u64(UInt64(64 + 24 * BBI.maximumZoomLevels))  // totalSummaryOffset
        header.u32(UInt32(largestUncompressedSection))
        header.u64(0)  // extensionOffset
        try output.patch(at: 0, header.bytes + zoomHeaders)
        let total = totalSummary
        var summaryBytes = BBIBytes()
        summaryBytes.u64(UInt64(total.bases))
        summaryBytes.f64(total.bases > 0 ? total.minimum : 0)
        summaryBytes.f64(total.bases > 0 ? total.maximum : 0)
        summaryBytes.f64(total.sum)
        summaryBytes.f64(total.sumOfSquares)
        try output.patch(at: 64 + 24 * BBI.maximumZoomLevels, summaryBytes.bytes)
        var count = BBIBytes()
        count.u64(UInt64(dataSections.count))
        try output.patch(at: dataCountOffsetInFile, count.bytes)
    }
}
