import BrowserFormats

/// BED lines written as bigBed (`BigBedWriter`): each line becomes a record, its first three
/// columns as numbers and the rest as text, as the autoSql the writer of the lines gives
/// declares them; record lengths come from the writer too (`OutputFile.noteRecordLength`).
/// The container is written into the file as it goes and patched at the end.
final class BigBedSink: OutputSink {
    private let writer: BigBedWriter
    private var lines = LineSplitter()
    let name: String

    /// `fieldCount` columns, the first `definedFieldCount` of them BED's own.
    init(file: OutputFile, autoSql: String, fieldCount: Int, definedFieldCount: Int) throws(GenomeIOError) {
        name = file.name
        do {
            writer = try BigBedWriter(output: PatchedFile(file), fieldCount: fieldCount, definedFieldCount: definedFieldCount,
                                      autoSql: autoSql, firstReduction: 500) {
                try ScratchFile(purpose: "bigBed zoom levels")
            }
        } catch {
            throw .writeFailed(path: file.name, reason: "\(error)")
        }
    }

    /// A record's length; an empty record is left out (faidx indexes leave it out too, so
    /// scans of shards, read through the index, never see it).
    func noteRecordLength(_ length: Int, of record: String) {
        if length > 0 { writer.setLength(length, of: record) }
    }

    var keepsOffsets: Bool { true }

    /// Takes whole lines; a line cut by the end of `bytes` waits for the rest.
    func write(_ bytes: ArraySlice<UInt8>, to file: OutputFile) throws(GenomeIOError) {
        try lines.split(bytes) { (line) throws(GenomeIOError) in try record(line) }
    }

    /// One line, its newline included.
    private func record(_ line: ArraySlice<UInt8>) throws(GenomeIOError) {
        if LineSplitter.isHeader(line) { return }
        guard let (chromosome, start, end) = LineSplitter.interval(line) else {
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

    func finish(_ file: OutputFile) throws(GenomeIOError) -> (suffix: String, bytes: [UInt8])? {
        do { try writer.finish() } catch { throw .writeFailed(path: name, reason: "\(error)") }
        return nil
    }
}
