/// Where a reader of records (the scan's `RecordFeeder`, the background pass) reads a
/// record's bases: on from the current position, or past some.
package protocol BaseReader: AnyObject {
    /// Fills `out` with the record's next bases; fewer (0) only at its end.
    func readBases(into out: UnsafeMutableBufferPointer<UInt8>) throws(GenomeIOError) -> Int
    /// Moves past up to `count` bases (`scratch` is room to read them into); returns how many there were.
    func skipBases(_ count: Int, into scratch: inout [UInt8]) throws(GenomeIOError) -> Int
}

extension FastaReader: BaseReader {}
