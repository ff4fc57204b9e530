import GenomeIO

/// One bedGraph value: [start, end) before clipping to the record.
package struct BedGraphLine: Sendable {
    var start: Int
    var end: Int
    var probability: Float
}

extension LineBuffer {
    /// One bedGraph line: record, start, end, probability.
    mutating func appendBedGraph(_ line: BedGraphLine, record: String) {
        append(record)
        append(0x09)
        appendInteger(line.start)
        append(0x09)
        appendInteger(line.end)
        append(0x09)
        appendFixed4(line.probability)
        append(0x0A)
    }

    /// One bedGraph line clipped to [0, length); false (nothing appended) when the clip
    /// leaves nothing.
    mutating func appendBedGraph(_ line: BedGraphLine, record: String, clippedTo length: Int) -> Bool {
        var clipped = line
        clipped.end = min(line.end, length)
        guard clipped.end > clipped.start else { return false }
        appendBedGraph(clipped, record: record)
        return true
    }
}
