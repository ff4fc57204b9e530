import GenomeIO

/// How one BED-family format writes a region.
package protocol RegionFormat {
    static func trackLine(name: String) -> String
    /// A header line naming the columns, for formats that have one.
    static func header(statistics: Bool, sites: Bool) -> String?
    /// Appends the region's line, newline included; `significance` is its p- and q-value
    /// when the scan has statistics.
    static func append(_ region: Region, chromosome: String, name: String, windowLength: Int,
                       significance: (p: Double, q: Double)?, to line: inout LineBuffer)
}

extension RegionFormat {
    package static func header(statistics: Bool, sites: Bool) -> String? { nil }
}
