import Model

/// Reads a tab-separated text file (plain or gzip) one line at a time, for the files that
/// scans of shards leave for `merge` (`BackgroundFile`, `ShardWriter`) and VCF.
package final class FieldReader {
    let path: String
    private let stream: ByteStream
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var start = 0, end = 0, atEnd = false
    /// The number of the line `next()` returned last, from 1.
    package private(set) var line = 0

    package init(path: String) throws(GenomeIOError) {
        self.path = path
        stream = try ByteStream(path: path)
    }

    /// The next line's tab-separated fields, or nil at the end of the file.
    package func next() throws(GenomeIOError) -> [Substring]? {
        guard let bytes = try nextLine() else { return nil }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\t", omittingEmptySubsequences: false)
    }

    /// The next line's bytes, without its newline (LF or CRLF), or nil at the end of the file.
    package func nextLine() throws(GenomeIOError) -> ArraySlice<UInt8>? {
        while true {
            if let newline = buffer[start..<end].firstIndex(of: 0x0A) {
                let bytes = buffer[start..<(newline > start && buffer[newline - 1] == 0x0D ? newline - 1 : newline)]
                start = newline + 1
                line += 1
                return bytes
            }
            if atEnd {
                guard start < end else { return nil }
                throw fail("the last line has no newline: the file is incomplete")
            }
            if start > 0 {
                buffer.replaceSubrange(0..<(end - start), with: buffer[start..<end])
                (end, start) = (end - start, 0)
            }
            if end == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }
            let (stream, filled) = (stream, end)
            let n = try buffer.withUnsafeMutableBufferPointer { (bytes) throws(GenomeIOError) -> Int in
                try stream.read(into: UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: bytes[filled...])))
            }
            if n == 0 { atEnd = true }
            end += n
        }
    }

    /// The next line, which must start with `kind` and have `count` fields (at least, with `orMore`).
    package func expect(_ kind: String, fields count: Int, orMore: Bool = false) throws(GenomeIOError) -> [Substring] {
        guard let fields = try next() else { throw fail("the file ends before its \(kind) line: it is incomplete") }
        guard fields[0] == kind, orMore ? fields.count >= count : fields.count == count else {
            throw fail("expected a \(kind) line of \(count) fields, found \(MessageText.shown(fields.joined(separator: " "), limit: 60))")
        }
        return fields
    }

    package func fail(_ reason: String) -> GenomeIOError { .badPart(path: path, line: line == 0 ? nil : line, reason: reason) }

    /// A field as a non-negative integer.
    package func count(_ field: Substring, _ what: String) throws(GenomeIOError) -> Int {
        guard let value = Int(field), value >= 0 else { throw fail("\(what) is not a count: \(MessageText.shown(String(field), limit: 40))") }
        return value
    }
}
