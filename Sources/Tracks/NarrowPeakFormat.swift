import GenomeIO

/// ENCODE narrowPeak (BED6+4): signalValue = max p, pValue = −log10 p, qValue = −log10 q
/// (both −1 without statistics), peak = offset of the best window's centre from the region start.
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
        line.appendInteger(region.bestWindow + windowLength / 2 - region.start)
        line.append(0x0A)
    }
}
