/// What the bytes written to an `OutputFile` go through on their way to its file: nothing
/// (`PlainSink`), BGZF compression with a tabix index (`BGZFSink`), or a bigBed container
/// whose records the lines become (`BigBedSink`). A sink hands the file's bytes to
/// `OutputFile.writeRaw`, in pieces of any size.
protocol OutputSink: AnyObject {
    /// Takes bytes written to the output: any piece of its text, not only whole lines.
    func write(_ bytes: ArraySlice<UInt8>, to file: OutputFile) throws(GenomeIOError)
    /// Ends the output: its last bytes go to `file`. Returns the index to write beside the
    /// file, when there is one: its suffix (`.tbi`) and bytes.
    func finish(_ file: OutputFile) throws(GenomeIOError) -> (suffix: String, bytes: [UInt8])?
    /// A record's length, for a container that stores it (bigBed).
    func noteRecordLength(_ length: Int, of record: String)
    /// Whether the bytes reach the file at the offsets they were written at, so that the
    /// file can be patched in place at the end (not so for compressed output).
    var keepsOffsets: Bool { get }
}

/// Plain output: the bytes reach the file as they are.
final class PlainSink: OutputSink {
    func write(_ bytes: ArraySlice<UInt8>, to file: OutputFile) throws(GenomeIOError) { try file.writeRaw(bytes) }
    func finish(_ file: OutputFile) -> (suffix: String, bytes: [UInt8])? { nil }
    func noteRecordLength(_ length: Int, of record: String) {}
    var keepsOffsets: Bool { true }
}
