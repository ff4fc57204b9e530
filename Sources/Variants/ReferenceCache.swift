import GenomeIO
import Model

/// The FASTA around the records, read through its index a stretch at a time: records near
/// each other (a sorted VCF) share one reading, and any record can be read (unsorted).
final class ReferenceCache {
    let fasta: IndexedFasta
    private var cached: (name: String, start: Int, bases: [UInt8])?
    static let stretch = 1 << 18

    init(fasta: IndexedFasta) { self.fasta = fasta }

    func length(of name: String) -> Int? { fasta.index.entry(named: name)?.length }

    /// Bases [from, to) of record `name` (inside it).
    func bases(_ name: String, from: Int, to: Int) throws(GenomeIOError) -> ArraySlice<UInt8> {
        if let cached, cached.name == name, from >= cached.start, to <= cached.start + cached.bases.count {
            return cached.bases[(from - cached.start)..<(to - cached.start)]
        }
        let start = max(0, from - 1024)
        let bases = try fasta.bases(of: name, from: start, to: max(to, start + ReferenceCache.stretch))
        cached = (name, start, bases)
        guard to - start <= bases.count else {
            throw .badIndex(path: fasta.path + ".fai", line: nil, reason: "record \(name) is shorter than its index says")
        }
        return bases[(from - start)..<(to - start)]
    }
}
