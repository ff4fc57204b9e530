/// A-C-G-T codes and one-hot encoding.
public enum Nucleotide {
    /// Maps a byte to 0 (A), 1 (C), 2 (G), 3 (T), or 4 for anything else; lowercase
    /// (soft-masked) bases map like uppercase.
    public static let code: [UInt8] = {
        var table = [UInt8](repeating: 4, count: 256)
        for (i, base) in "ACGT".utf8.enumerated() {
            table[Int(base)] = UInt8(i)
            table[Int(base | 0x20)] = UInt8(i)
        }
        return table
    }()

    /// The letters of codes 0–3.
    public static let letters: [UInt8] = Array("ACGT".utf8)

    /// Writes the one-hot encoding (L, 4) of `bases` into `out`, which must hold 4·L values.
    /// A byte that is not A, C, G or T becomes an all-zero row.
    public static func oneHot(_ bases: some Collection<UInt8>, into out: UnsafeMutableBufferPointer<Float>) {
        var row = 0
        for base in bases {
            let c = Int(code[Int(base)])
            for j in 0..<4 { out[row + j] = 0 }
            if c < 4 { out[row + c] = 1 }
            row += 4
        }
    }

    /// One-hot encodings of equal-length sequences laid end to end: (count, L, 4).
    public static func oneHot(_ sequences: [[UInt8]]) -> [Float] {
        let length = sequences.first?.count ?? 0
        var out = [Float](repeating: 0, count: sequences.count * length * 4)
        out.withUnsafeMutableBufferPointer { buffer in
            for (i, sequence) in sequences.enumerated() {
                oneHot(sequence, into: .init(rebasing: buffer[(i * length * 4)..<((i + 1) * length * 4)]))
            }
        }
        return out
    }
}
