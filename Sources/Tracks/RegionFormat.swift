import GenomeIO

/// How one BED-family format writes a region.
package protocol RegionFormat {
    static func trackLine(name: String) -> String
    /// Appends the region's line, newline included; `significance` is its p- and q-value
    /// when the scan has statistics.
    static func append(_ region: Region, chromosome: String, name: String, windowLength: Int,
                       significance: (p: Double, q: Double)?, to line: inout LineBuffer)
}
