import GenomeIO

/// ENCODE narrowPeak (BED6+4): signalValue = max p, pValue = −log10 p, qValue = −log10 q
/// (both −1 without statistics), peak = offset from the region start of the centre of the
/// site the model located in the best window (of the best window's centre, when the model
/// does not locate sites).
package enum NarrowPeakFormat: RegionFormat {
    package static func trackLine(name: String) -> String {
        "track type=narrowPeak name=\"\(name)\" description=\"annotate candidate TFBS (\(name))\" useScore=1\n"
    }

    package static func append(_ region: Region, chromosome: String, name: String, windowLength: Int,
                       significance: (p: Double, q: Double)?, to line: inout LineBuffer) {
        BEDFormat.appendColumns(region, chromosome: chromosome, name: name, to: &line)
        if let significance {
            line.append(0x09)
            line.appendNegativeLog10(significance.p)
            line.append(0x09)
            line.appendNegativeLog10(significance.q)
            line.append(0x09)
        } else {
            line.append("\t-1\t-1\t")
        }
        let centre = region.site.exists ? region.site.start + Int(region.site.length) / 2 : region.bestWindow + windowLength / 2
        line.appendInteger(centre - region.start)
        line.append(0x0A)
    }
}
