import Significance

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One VCF data line, read for `variants`: where its columns are, and its alleles.
package struct VariantLine: Sendable {
    /// The line without its newline.
    package let bytes: [UInt8]
    /// Where the INFO column starts and ends in `bytes`.
    package let info: Range<Int>
    package let chromosome: String
    /// 1-based, as VCF writes it.
    package let position: Int
    package let reference: [UInt8]
    /// Each ALT allele as written (`.` for none is no allele).
    package let alternates: [[UInt8]]

    /// Parses a data line (no newline); nil with a reason when it is not one.
    package static func parse(_ line: [UInt8]) -> (VariantLine?, String?) {
        var tabs: [Int] = []
        for (i, byte) in line.enumerated() where byte == 0x09 {
            tabs.append(i)
            if tabs.count == 8 { break }
        }
        guard tabs.count >= 7 else { return (nil, "a VCF data line has at least 8 tab-separated columns") }
        let infoEnd = tabs.count == 8 ? tabs[7] : line.count
        let chromosome = String(decoding: line[0..<tabs[0]], as: UTF8.self)
        let positionText = line[(tabs[0] + 1)..<tabs[1]]
        guard !chromosome.isEmpty, let position = Int(String(decoding: positionText, as: UTF8.self)), position >= 0, position < 1 << 48 else {
            return (nil, "POS is not a position")
        }
        let reference = Array(line[(tabs[2] + 1)..<tabs[3]])
        guard !reference.isEmpty, reference.allSatisfy({ "ACGTNacgtn".utf8.contains($0) }) else {
            return (nil, "REF is not made of A, C, G, T and N")
        }
        let alt = line[(tabs[3] + 1)..<tabs[4]]
        let alternates = alt.elementsEqual(".".utf8) ? [] : alt.split(separator: 0x2C, omittingEmptySubsequences: false).map(Array.init)
        guard alternates.allSatisfy({ !$0.isEmpty }) else { return (nil, "ALT has an empty allele") }
        return (VariantLine(bytes: line, info: (tabs[6] + 1)..<infoEnd, chromosome: chromosome, position: position,
                            reference: reference, alternates: alternates), nil)
    }

    /// Whether an ALT allele is a sequence (A, C, G, T, N), not symbolic (`<DEL>`), a
    /// breakend or the `*` of an overlapping deletion.
    package static func isSequence(_ allele: [UInt8]) -> Bool { allele.allSatisfy { "ACGTNacgtn".utf8.contains($0) } }
}
