import GenomeIO
import Model
import Scoring

/// One variant's window, as `explain --variant` shows it: the same window on the REF and
/// the ALT haplotype, as the model read it (reverse-complemented on the − strand).
public struct VariantWindow: Sendable {
    public let reference: [UInt8]
    public let alternate: [UInt8]
    /// 1-based start of the window, and its strand.
    public let start: Int
    public let reverse: Bool
    /// The best windows of the two haplotypes (the window shown is the better of them).
    public let best: (reference: BestWindow?, alternate: BestWindow?)
    public let referenceMismatch: Bool
}

extension VariantAnnotation {
    /// The window to explain for one variant (`chromosome:position:REF:ALT`, 1-based): the
    /// best window of the REF or the ALT haplotype, whichever scores higher, read on both.
    public func window(of variant: String) throws(GenomeIOError) -> VariantWindow {
        let parts = variant.split(separator: ":", omittingEmptySubsequences: false)
        let length = network.inputLength
        guard parts.count == 4, let position = Int(parts[1]), position >= 1, position < 1 << 48,
              let parsed = VariantLine.parse(Array("\(parts[0])\t\(position)\t.\t\(parts[2])\t\(parts[3])\t.\t.\t.".utf8)).0,
              let alternate = parsed.alternates.first, parsed.alternates.count == 1, VariantLine.isSequence(alternate) else {
            throw .badRegion(path: fasta.path, region: variant, reason: "a variant is CHROM:POS:REF:ALT, 1-based, with REF and ALT made of A, C, G, T and N")
        }
        let reference = ReferenceCache(fasta: fasta)
        guard let record = reference.length(of: parsed.chromosome) else {
            throw .badRegion(path: fasta.path, region: variant, reason: "no record of that name in the FASTA")
        }
        let start = position - 1, end = start + parsed.reference.count
        guard end <= record else { throw .badRegion(path: fasta.path, region: variant, reason: "REF lies outside the record (\(record) bp)") }
        let from = max(0, start - (length - 1)), to = min(record, end + length - 1)
        let context = Array(try reference.bases(parsed.chromosome, from: from, to: to))
        let genome = context[(start - from)..<(end - from)]
        let haplotypes = [Haplotype(bases: context, start: from),
                          Haplotype(bases: Array(context[..<(start - from)]) + alternate + Array(context[(end - from)...]), start: from)]
        let best = HaplotypeScorer(scorer: makeWindowScorer(for: network), windowLength: length).best(haplotypes)
        guard let shown = [best[0], best[1]].compactMap({ $0 }).max(by: { $0.probability < $1.probability }) else {
            throw .badRegion(path: fasta.path, region: variant, reason: "no window around it can be scored (N or other letters)")
        }
        func read(_ haplotype: Haplotype) -> [UInt8] {
            let offset = min(max(shown.start - haplotype.start, 0), max(haplotype.bases.count - length, 0))
            let bases = haplotype.bases[offset..<min(offset + length, haplotype.bases.count)].map { $0 & 0xDF }
            return shown.reverse ? ReverseComplement.of(bases) : bases
        }
        return VariantWindow(reference: read(haplotypes[0]), alternate: read(haplotypes[1]), start: shown.start + 1, reverse: shown.reverse,
                             best: (best[0], best[1]), referenceMismatch: !genome.elementsEqual(parsed.reference, by: { $0 & 0xDF == $1 & 0xDF }))
    }
}
