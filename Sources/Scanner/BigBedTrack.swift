import BrowserFormats

/// A scan's BED lines written as bigBed (`BigBedWriter`): each line becomes a record, its
/// first three columns as numbers and the rest as text; record lengths come from the writer
/// (`OutputFile.noteRecordLength`).
final class BigBedTrack {
    private let writer: BigBedWriter
    private var lines = LineSplitter()
    let name: String

    /// The autoSql of `scan`'s BED columns: BED6+3 with statistics, BED6+1 without.
    static func autoSql(statistics: Bool) -> String {
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
        return text + "    )\n"
    }

    init(file: OutputFile, statistics: Bool, patched: PatchedFile) throws(ScannerError) {
        name = file.name
        do {
            writer = try BigBedWriter(output: patched, fieldCount: statistics ? 9 : 7, definedFieldCount: 6,
                                      autoSql: BigBedTrack.autoSql(statistics: statistics), firstReduction: 500) {
                try ScratchFile(purpose: "bigBed zoom levels")
            }
        } catch {
            throw .writeFailed(path: file.name, reason: "\(error)")
        }
    }

    /// A record's length; an empty record is left out (faidx indexes leave it out too, so
    /// scans of shards, read through the index, never see it).
    func setLength(_ length: Int, of record: String) {
        if length > 0 { writer.setLength(length, of: record) }
    }

    /// Takes whole lines; a line cut by the end of `bytes` waits for the rest.
    func write(_ bytes: some Sequence<UInt8>) throws(ScannerError) {
        try lines.split(bytes) { (line) throws(ScannerError) in try record(line) }
    }

    /// One line, its newline included.
    private func record(_ line: ArraySlice<UInt8>) throws(ScannerError) {
        if LineSplitter.isHeader(line) { return }
        guard let (chromosome, start, end) = CompressedTrack.interval(line) else {
            throw .writeFailed(path: name, reason: "cannot make a bigBed record of a line without chromosome, start and end")
        }
        // The columns after the third.
        let line = line.dropLast()
        var tabs = 0, rest = line.endIndex
        for i in line.indices where line[i] == 0x09 {
            tabs += 1
            if tabs == 3 { rest = i + 1; break }
        }
        do {
            try writer.add(chromosome: String(decoding: chromosome, as: UTF8.self), start: start, end: end, rest: line[rest...])
        } catch {
            throw .writeFailed(path: name, reason: "\(error)")
        }
    }

    func finish() throws(ScannerError) {
        do { try writer.finish() } catch { throw .writeFailed(path: name, reason: "\(error)") }
    }
}
