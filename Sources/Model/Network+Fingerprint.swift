extension Network {
    /// SHA-256 of the model's shape and weights: the same for the same model however it was
    /// loaded, and different for any other (a background file names its model by it).
    package var fingerprint: String {
        var bytes = Array("\(inputLength) \(alphabet) \(layers)\(bestStrand ? " best-strand" : "")".utf8)
        for value in parameters { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
        return SHA256.hexDigest(bytes)
    }
}
