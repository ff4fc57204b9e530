/// Writes FASTA records as `samtools faidx` prints regions: a `>` line with the record's
/// name, then its bases 60 a line as they arrive, so that a whole chromosome never sits in
/// memory.
public struct FastaWriter {
    public let output: OutputFile
    public static let lineLength = 60
    /// The bases of the current record's last line, not yet written.
    private var line: [UInt8] = []

    public init(output: OutputFile) {
        self.output = output
        line.reserveCapacity(FastaWriter.lineLength + 1)
    }

    /// Writes one record: its header line, then the bases `read` hands to its body, in any pieces.
    public mutating func write(record name: String,
                               _ read: ((ArraySlice<UInt8>) throws(GenomeIOError) -> Void) throws(GenomeIOError) -> Void) throws(GenomeIOError) {
        try output.write(">\(name)\n")
        try read { (bases) throws(GenomeIOError) in
            for base in bases {
                line.append(base)
                if line.count == FastaWriter.lineLength {
                    line.append(0x0A)
                    try output.write(bytes: line)
                    line.removeAll(keepingCapacity: true)
                }
            }
        }
        if !line.isEmpty {
            line.append(0x0A)
            try output.write(bytes: line)
            line.removeAll(keepingCapacity: true)
        }
    }
}
