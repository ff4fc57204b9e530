/// Bytes of output lines being built: tab-separated text, integers and fixed-point
/// probabilities appended without a `String` or an allocation per field.
struct LineBuffer {
    var bytes: [UInt8] = []

    init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
    }

    mutating func append(_ byte: UInt8) {
        bytes.append(byte)
    }

    mutating func append(_ text: String) {
        bytes += text.utf8
    }

    /// A non-negative integer in decimal.
    mutating func appendInteger(_ value: Int) {
        let start = bytes.count
        var v = value
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(v % 10))
            v /= 10
        } while v > 0
        bytes[start...].reverse()
    }

    /// p with 4 decimals, as `%.4f` prints it (p·10⁴ is exact in a Double and never a tie).
    mutating func appendFixed4(_ p: Float) {
        let scaled = Int((Double(p) * 10_000).rounded(.toNearestOrAwayFromZero))
        appendInteger(scaled / 10_000)
        bytes.append(UInt8(ascii: "."))
        let fraction = scaled % 10_000
        bytes.append(UInt8(ascii: "0") + UInt8(fraction / 1000))
        bytes.append(UInt8(ascii: "0") + UInt8(fraction / 100 % 10))
        bytes.append(UInt8(ascii: "0") + UInt8(fraction / 10 % 10))
        bytes.append(UInt8(ascii: "0") + UInt8(fraction % 10))
    }

    /// One bedGraph line for the window starting at `windowStart`: its centre ± step/2,
    /// clipped to [0, chromosomeLength). False (nothing appended) when the clip leaves nothing.
    mutating func appendBedGraph(chromosome: String, windowStart: Int, windowLength: Int, step: Int,
                                 chromosomeLength: Int, probability: Float) -> Bool {
        let start = max(0, windowStart + windowLength / 2 - step / 2)
        let end = min(chromosomeLength, start + step)
        guard end > start else { return false }
        append(chromosome)
        append(0x09)
        appendInteger(start)
        append(0x09)
        appendInteger(end)
        append(0x09)
        appendFixed4(probability)
        append(0x0A)
        return true
    }
}
