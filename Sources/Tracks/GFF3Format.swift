import GenomeIO

/// GFF3 (Sequence Ontology's specification 1.26): one `TF_binding_site` (SO:0000235) line per
/// region, 1-based and inclusive; score = the probability; attributes ID (the region, unique
/// in a file), Name (the model), probability, p_value and q_value (with statistics), and
/// the site: site_start and site_end (1-based, inclusive, forward strand) and
/// site_sequence (read on the region's strand). seqid and attribute values are
/// percent-encoded where the specification asks.
package enum GFF3Format: RegionFormat {
    /// GFF3 has no track line: its first line is the version pragma.
    package static func trackLine(name: String) -> String { "" }

    package static func header(statistics: Bool, sites: Bool) -> String? { "##gff-version 3\n" }

    package static func append(_ region: Region, chromosome: String, name: String, windowLength: Int,
                       significance: (p: Double, q: Double)?, to line: inout LineBuffer) {
        let seqid = escaped(chromosome, keeping: seqidBytes)
        line.append(seqid)
        line.append("\tannotate\tTF_binding_site\t")
        line.appendInteger(region.start + 1)
        line.append(0x09)
        line.appendInteger(region.end)
        line.append(0x09)
        line.appendFixed4(region.probability)
        line.append(0x09)
        line.append(region.reverse ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        line.append("\t.\tID=")
        let model = escaped(name, keeping: nil)
        line.append(model)
        line.append(0x3A)
        line.append(escaped(chromosome, keeping: nil))
        line.append(0x3A)
        line.appendInteger(region.start + 1)
        line.append(0x2D)
        line.appendInteger(region.end)
        line.append(region.reverse ? ":-;Name=" : ":+;Name=")
        line.append(model)
        line.append(";probability=")
        line.appendFixed4(region.probability)
        if let significance {
            line.append(";p_value=")
            line.appendScientific(significance.p)
            line.append(";q_value=")
            line.appendScientific(significance.q)
        }
        if region.site.exists {
            line.append(";site_start=")
            line.appendInteger(region.site.start + 1)
            line.append(";site_end=")
            line.appendInteger(region.site.end)
            line.append(";site_sequence=")
            line.append(region.site.sequence)
        }
        line.append(0x0A)
    }

    /// The bytes a seqid may hold as they are: [a-zA-Z0-9.:^*$@!+_?-|].
    static let seqidBytes: Set<UInt8> = Set(Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.:^*$@!+_?-|".utf8))

    /// `text` with every byte outside `keeping` percent-encoded as %XX (with nil: control
    /// bytes and ; = & , %, as attribute values need).
    static func escaped(_ text: String, keeping: Set<UInt8>?) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        var changed = false
        for byte in text.utf8 {
            let keep = keeping.map { $0.contains(byte) } ?? (byte >= 0x20 && byte != 0x7F && !";=&,%".utf8.contains(byte))
            if keep {
                out.append(byte)
            } else {
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
                changed = true
            }
        }
        return changed ? String(decoding: out, as: UTF8.self) : text
    }
}
