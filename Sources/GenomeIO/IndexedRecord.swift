/// One record of an indexed FASTA, read through the index from wherever it is asked for:
/// skipping bases reads nothing.
package final class IndexedRecord: BaseReader {
    let fasta: IndexedFasta
    let entry: FastaIndex.Entry
    private var position = 0
    private var reader: IndexedFasta.RangeReader?

    package init(_ fasta: IndexedFasta, _ entry: FastaIndex.Entry) {
        self.fasta = fasta
        self.entry = entry
    }

    package func readBases(into out: UnsafeMutableBufferPointer<UInt8>) throws(GenomeIOError) -> Int {
        let current: IndexedFasta.RangeReader
        if let reader { current = reader } else { current = try IndexedFasta.RangeReader(fasta, entry, from: position, to: entry.length) }
        reader = current
        var count = 0
        while count < out.count {
            let n = try current.read(into: UnsafeMutableBufferPointer(rebasing: out[count...]))
            if n == 0 { break }
            count += n
        }
        position += count
        return count
    }

    package func skipBases(_ count: Int, into scratch: inout [UInt8]) throws(GenomeIOError) -> Int {
        let skipped = min(count, entry.length - position)
        if skipped > 0 { reader = nil }
        position += skipped
        return skipped
    }
}
