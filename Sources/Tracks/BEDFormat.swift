import GenomeIO

/// BED6+3: chrom, start, end, name, score (round(1000·p)), strand, probability, −log10 p,
/// −log10 q (BED6+1 without the last two, when the scan has no statistics); then, when the
/// model locates sites, the site in the best window: siteStart (0-based, forward strand; the
/// site ends at siteStart + its length) and siteSequence (read on the region's strand).
/// Two columns, not three: a line of exactly twelve is BED12 to bedtools, which then reads
/// the probability as thickStart and stops.
package enum BEDFormat: RegionFormat {
    package static func trackLine(name: String) -> String {
        "track name=\"\(name)\" description=\"annotate candidate TFBS (\(name))\" useScore=1\n"
    }

    package static func append(_ region: Region, chromosome: String, name: String, windowLength: Int,
                       significance: (p: Double, q: Double)?, to line: inout LineBuffer) {
        appendColumns(region, chromosome: chromosome, name: name, to: &line)
        if let significance {
            line.append(0x09)
            line.appendNegativeLog10(significance.p)
            line.append(0x09)
            line.appendNegativeLog10(significance.q)
        }
        appendSite(region.site, to: &line)
        line.append(0x0A)
    }

    /// The six BED columns and the probability, without a newline.
    static func appendColumns(_ region: Region, chromosome: String, name: String, to line: inout LineBuffer) {
        appendPlace(region, chromosome: chromosome, name: name, to: &line)
        line.append(0x09)
        line.appendInteger(Int((Double(region.probability) * 1000).rounded(.toNearestOrAwayFromZero)))
        line.append(0x09)
        line.append(region.reverse ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        line.append(0x09)
        line.appendFixed4(region.probability)
    }

    /// chrom, start, end and name, without a tab after.
    static func appendPlace(_ region: Region, chromosome: String, name: String, to line: inout LineBuffer) {
        line.append(chromosome)
        line.append(0x09)
        line.appendInteger(region.start)
        line.append(0x09)
        line.appendInteger(region.end)
        line.append(0x09)
        line.append(name)
    }

    /// The site's start and sequence (and end, with `end`), each after a tab; nothing for no site.
    static func appendSite(_ site: LocatedSite, end: Bool = false, to line: inout LineBuffer) {
        guard site.exists else { return }
        line.append(0x09)
        line.appendInteger(site.start)
        if end {
            line.append(0x09)
            line.appendInteger(site.end)
        }
        line.append(0x09)
        line.append(site.sequence)
    }

    /// Turns `file` into a bigBed of these lines: its records get the columns after the
    /// third as `autoSql` declares them.
    package static func startBigBed(in file: OutputFile, statistics: Bool, sites: Bool) throws(GenomeIOError) {
        try file.startBigBed(autoSql: autoSql(statistics: statistics, sites: sites),
                             fieldCount: 7 + (statistics ? 2 : 0) + (sites ? 2 : 0), definedFieldCount: 6)
    }

    /// The autoSql of these columns: BED6+3 with statistics, BED6+1 without, and the site's two.
    static func autoSql(statistics: Bool, sites: Bool) -> String {
        var text = """
            table annotateSites
            "Candidate transcription-factor binding sites from annotate scan"
                (
                string chrom;       "Reference sequence chromosome or scaffold"
                uint   chromStart;  "Start position in chromosome (0-based)"
                uint   chromEnd;    "End position in chromosome (exclusive)"
                string name;        "Model name"
                uint   score;       "round(1000 x probability)"
                char[1] strand;     "+ or -"
                float  probability; "Model probability of the best window"

            """
        if statistics {
            text += """
                    float  minusLog10P; "-log10 p-value of the best window against the input's own background"
                    float  minusLog10Q; "-log10 q-value (Benjamini-Hochberg over every window scored)"

                """
        }
        if sites {
            text += """
                    uint   siteStart;   "Start of the site the model sees in the best window (0-based; it ends at siteStart + its length)"
                    string siteSequence; "The site's bases, read on the region's strand"

                """
        }
        return text + "    )\n"
    }
}
