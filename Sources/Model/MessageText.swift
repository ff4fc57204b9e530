/// Names and other input text as messages show them: control and non-UTF-8 bytes escaped,
/// and long text cut short, so that one bad record cannot flood or garble a terminal.
public enum MessageText {
    public static func shown(_ text: String, limit: Int = 120) -> String {
        shown(bytes: Array(text.utf8), limit: limit)
    }

    public static func shown(bytes: some Collection<UInt8>, limit: Int = 120) -> String {
        var out = ""
        var count = 0
        let scalars = String(decoding: bytes, as: UTF8.self).unicodeScalars
        for scalar in scalars {
            if count >= limit {
                out += "… (\(bytes.count) bytes)"
                break
            }
            switch scalar.value {
            case 0x20..<0x7F, 0xA0...: out.unicodeScalars.append(scalar == "\u{FFFD}" ? "?" : scalar)
            default: out += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16, uppercase: true)
            }
            count += 1
        }
        return out
    }
}
