import GenomeIO

/// A table for spreadsheets and pandas: a header row naming every column, then one row per
/// region: chrom, start, end (0-based, half-open, as BED), name, strand, probability, then
/// with statistics p_value and q_value (as numbers, 3 significant digits), then when the
/// model locates sites site_start, site_end and site_sequence (read on the region's strand).
package enum TSVFormat: RegionFormat {
    /// A table has no track line: its header names the columns.
    package static func trackLine(name: String) -> String { "" }

    package static func header(statistics: Bool, sites: Bool) -> String? {
        "chrom\tstart\tend\tname\tstrand\tprobability" + (statistics ? "\tp_value\tq_value" : "")
            + (sites ? "\tsite_start\tsite_end\tsite_sequence" : "") + "\n"
    }

    package static func append(_ region: Region, chromosome: String, name: String, windowLength: Int,
                       significance: (p: Double, q: Double)?, to line: inout LineBuffer) {
        BEDFormat.appendPlace(region, chromosome: chromosome, name: name, to: &line)
        line.append(0x09)
        line.append(region.reverse ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        line.append(0x09)
        line.appendFixed4(region.probability)
        if let significance {
            line.append(0x09)
            line.appendScientific(significance.p)
            line.append(0x09)
            line.appendScientific(significance.q)
        }
        BEDFormat.appendSite(region.site, end: true, to: &line)
        line.append(0x0A)
    }
}
