#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bytes of output lines being built: tab-separated text, integers and fixed-point
/// probabilities appended without a `String` or an allocation per field.
package struct LineBuffer {
    package var bytes: [UInt8] = []

    package init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    package mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
    }

    package mutating func append(_ byte: UInt8) {
        bytes.append(byte)
    }

    package mutating func append(_ text: String) {
        bytes += text.utf8
    }

    /// A non-negative integer in decimal.
    package mutating func appendInteger(_ value: Int) {
        let start = bytes.count
        var v = value
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(v % 10))
            v /= 10
        } while v > 0
        bytes[start...].reverse()
    }

    /// p (0 ≤ p ≤ 1) with 4 decimals, as `%.4f` prints it. p·10⁴ is exact in a Double (24
    /// significant bits times 14), so rounding it half to even is what printf does with the
    /// exact binary value: 0.53125 gives 0.5312.
    package mutating func appendFixed4(_ p: Float) {
        let scaled = LineBuffer.tenThousandths(p)
        appendInteger(scaled / 10_000)
        bytes.append(UInt8(ascii: "."))
        let fraction = scaled % 10_000
        bytes.append(UInt8(ascii: "0") + UInt8(fraction / 1000))
        bytes.append(UInt8(ascii: "0") + UInt8(fraction / 100 % 10))
        bytes.append(UInt8(ascii: "0") + UInt8(fraction / 10 % 10))
        bytes.append(UInt8(ascii: "0") + UInt8(fraction % 10))
    }

    /// p (0 ≤ p ≤ 1) in units of 10⁻⁴, rounded half to even on its Double value: the number
    /// `appendFixed4` prints.
    package static func tenThousandths(_ p: Float) -> Int { Int((Double(p) * 10_000).rounded(.toNearestOrEven)) }

    /// −log10 x (0 < x ≤ 1) with 4 decimals, rounded half to even on its Double value.
    package mutating func appendNegativeLog10(_ x: Double) {
        let value = x >= 1 ? 0 : -log10(max(x, Double.leastNormalMagnitude))
        let scaled = Int((value * 10_000).rounded(.toNearestOrEven))
        appendInteger(scaled / 10_000)
        bytes.append(UInt8(ascii: "."))
        let fraction = scaled % 10_000
        bytes.append(UInt8(ascii: "0") + UInt8(fraction / 1000))
        bytes.append(UInt8(ascii: "0") + UInt8(fraction / 100 % 10))
        bytes.append(UInt8(ascii: "0") + UInt8(fraction / 10 % 10))
        bytes.append(UInt8(ascii: "0") + UInt8(fraction % 10))
    }

    /// Writes x in [0, 1] with three significant digits, as `%.2e` does ("3.21e-07"); 1 as "1"
    /// and 0 as "0", for a table that spreadsheets and pandas read as numbers.
    package mutating func appendScientific(_ x: Double) {
        guard x > 0 else { bytes.append(UInt8(ascii: "0")); return }
        guard x < 1 else { bytes.append(UInt8(ascii: "1")); return }
        let x = max(x, Double.leastNormalMagnitude)
        var exponent = Int(log10(x).rounded(.down))
        var digits = Int((x / pow(10, Double(exponent)) * 100).rounded(.toNearestOrEven))
        if digits >= 1000 { (digits, exponent) = (digits / 10, exponent + 1) }
        if digits < 100 { (digits, exponent) = (digits * 10, exponent - 1) }
        bytes.append(UInt8(ascii: "0") + UInt8(digits / 100))
        bytes.append(UInt8(ascii: "."))
        bytes.append(UInt8(ascii: "0") + UInt8(digits / 10 % 10))
        bytes.append(UInt8(ascii: "0") + UInt8(digits % 10))
        bytes.append(UInt8(ascii: "e"))
        bytes.append(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        if abs(exponent) < 10 { bytes.append(UInt8(ascii: "0")) }
        appendInteger(abs(exponent))
    }
}
