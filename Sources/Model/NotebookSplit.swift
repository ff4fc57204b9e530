/// The reference notebook's data split: scikit-learn's
/// `train_test_split(test_size=0.25, random_state=42, shuffle=True)`.
public struct NotebookSplit: Sendable, Equatable {
    /// `p[:nTest]` for `p = RandomState(seed).permutation(count)`, in that order.
    public var test: [Int]
    /// `p[nTest:]`, in that order (Keras's `validation_split` slices its tail).
    public var train: [Int]

    /// `nTest = ceil(testFraction · count)`, as scikit-learn rounds.
    public init(count: Int, testFraction: Double = 0.25, seed: UInt32 = 42) {
        var random = MersenneTwister(seed: seed)
        let permutation = random.permutation(count)
        let testCount = Int((testFraction * Double(count)).rounded(.up))
        test = Array(permutation[..<testCount])
        train = Array(permutation[testCount...])
    }
}
