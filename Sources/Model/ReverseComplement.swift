/// Reverse complements of ACGT text (case kept; other bytes unchanged).
public enum ReverseComplement {
    static let table: [UInt8] = {
        var table = (0...255).map { UInt8($0) }
        for (a, b) in zip("ACGTacgt".utf8, "TGCAtgca".utf8) { table[Int(a)] = b }
        return table
    }()

    public static func of(_ bases: [UInt8]) -> [UInt8] {
        bases.reversed().map { table[Int($0)] }
    }
}
