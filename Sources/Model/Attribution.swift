/// Why a sequence scored what it did: three per-position attributions, computed through the
/// model's batched forward and backward passes.
public struct Attribution: Sendable, Equatable {
    /// p(x), the model's probability for the sequence.
    public var probability: Float
    /// Deletion saliency, as the reference notebook computes it: p(x) − p(x with position
    /// i's one-hot row set to zero), one value per position.
    public var deletion: [Float]
    /// In-silico mutagenesis, (L, 4) in ACGT order: p(x with base b at i) − p(x). The
    /// sequence's own base gets 0 (at a non-ACGT position every base is a change).
    public var mutagenesis: [Float]
    /// Gradient × input: dp/dx at the sequence's own base, one value per position (0 where
    /// the position is not ACGT).
    public var gradientTimesInput: [Float]

    public init(probability: Float, deletion: [Float], mutagenesis: [Float], gradientTimesInput: [Float]) {
        (self.probability, self.deletion, self.mutagenesis, self.gradientTimesInput) = (probability, deletion, mutagenesis, gradientTimesInput)
    }
}

extension Network {
    /// Attributions for sequences of the model's input length.
    ///
    /// Each sequence's 1 + L deletions + 3L (or 4L) mutants are scored in batches of
    /// `batchSize` through `predict`; the gradients come from one backward pass per batch.
    public func attributions(for sequences: [[UInt8]], batchSize: Int = 256) -> [Attribution] {
        let length = inputLength
        let gradients = inputGradients(for: sequences, batchSize: batchSize)
        return sequences.enumerated().map { index, bases in
            let codes = bases.map { Nucleotide.code[Int($0)] }
            let original = Nucleotide.oneHot([bases])
            // Variant 0 is x itself; 1 ... L delete a position; then four per position mutate it.
            var variants = Network.withDeletions(original, length: length)
            variants.reserveCapacity(original.count * (1 + 5 * length))
            for i in 0..<length {
                for b in 0..<4 {
                    var mutant = original
                    for c in 0..<4 { mutant[i * 4 + c] = c == b ? 1 : 0 }
                    variants += mutant
                }
            }
            let p = predict(oneHot: variants, count: 1 + 5 * length, batchSize: batchSize)
            let base = p[0]
            let deletion = (0..<length).map { base - p[1 + $0] }
            var mutagenesis = [Float](repeating: 0, count: 4 * length)
            for i in 0..<length {
                for b in 0..<4 where Int(codes[i]) != b { mutagenesis[i * 4 + b] = p[1 + length + i * 4 + b] - base }
            }
            let gradient = gradients[index]
            let gradientTimesInput = (0..<length).map { i in codes[i] < 4 ? gradient[i * 4 + Int(codes[i])] : 0 }
            return Attribution(probability: base, deletion: deletion, mutagenesis: mutagenesis,
                               gradientTimesInput: gradientTimesInput)
        }
    }

    /// Deletion saliency alone, p(x) − p(x with position i's row zeroed) for each position,
    /// as `attributions` gives it, with p(x): a fifth of their cost (1 + L sequences scored
    /// for each, not 1 + 5L, and no backward pass), for a table of many windows.
    public func deletionSaliency(for sequences: [[UInt8]], batchSize: Int = 256) -> [(probability: Float, deletion: [Float])] {
        let length = inputLength
        guard !sequences.isEmpty else { return [] }
        var variants: [Float] = []
        for bases in sequences { variants += Network.withDeletions(Nucleotide.oneHot([bases]), length: length) }
        let p = predict(oneHot: variants, count: sequences.count * (1 + length), batchSize: batchSize)
        return sequences.indices.map { k in
            let base = p[k * (1 + length)]
            return (base, (0..<length).map { base - p[k * (1 + length) + 1 + $0] })
        }
    }

    /// One sequence's one-hot rows, then L copies with one position's row zeroed each.
    static func withDeletions(_ original: [Float], length: Int) -> [Float] {
        var variants = original
        variants.reserveCapacity(original.count * (1 + length))
        for i in 0..<length {
            var deleted = original
            for c in 0..<4 { deleted[i * 4 + c] = 0 }
            variants += deleted
        }
        return variants
    }

    /// dp/dx (L, 4) for each sequence, from the backward pass with dL/dp = 1.
    /// d p / d input for each sequence, (L, 4) rows in ACGT order. For a `bestStrand` network,
    /// the gradient of the strand whose probability the sequence gets, in the sequence's own
    /// coordinates (the reverse strand's row L − 1 − i, base 3 − c, is position i's base c).
    func inputGradients(for sequences: [[UInt8]], batchSize: Int) -> [[Float]] {
        let forward = strandGradients(for: sequences, batchSize: batchSize)
        guard bestStrand else { return forward }
        let reversed = sequences.map { ReverseComplement.of($0) }
        let reverse = strandGradients(for: reversed, batchSize: batchSize)
        let p = predictWindows(oneHot: Nucleotide.oneHot(sequences), count: sequences.count, batchSize: batchSize)
        let q = predictWindows(oneHot: Nucleotide.oneHot(reversed), count: sequences.count, batchSize: batchSize)
        let length = inputLength
        return sequences.indices.map { k in
            guard q[k] > p[k] else { return forward[k] }
            var mapped = [Float](repeating: 0, count: length * 4)
            for i in 0..<length { for c in 0..<4 { mapped[i * 4 + c] = reverse[k][(length - 1 - i) * 4 + 3 - c] } }
            return mapped
        }
    }

    /// d p / d input of each sequence read as given.
    private func strandGradients(for sequences: [[UInt8]], batchSize: Int) -> [[Float]] {
        let sample = shapes[0].count
        var workspace = Workspace(network: self, capacity: max(1, min(batchSize, sequences.count)), training: true)
        var parameterGradients = [Float](repeating: 0, count: parameters.count)
        var noRandom: MersenneTwister? = nil
        var result: [[Float]] = []
        var start = 0
        while start < sequences.count {
            let n = min(workspace.capacity, sequences.count - start)
            let oneHot = Nucleotide.oneHot(Array(sequences[start..<(start + n)]))
            workspace.activations[0].withUnsafeMutableBufferPointer { input in
                for i in 0..<n * sample { input[i] = oneHot[i] }
            }
            forward(&workspace, batch: n, random: &noRandom)
            // The probability is the last unit: sigmoid's only one, or softmax's class 1.
            let units = outputUnits, last = workspace.gradients.count - 1
            for i in 0..<n * units { workspace.gradients[last][i] = i % units == units - 1 ? 1 : 0 }
            backward(&workspace, batch: n, parameterGradients: &parameterGradients, inputGradient: true)
            let gradient = workspace.inputGradient
            for row in 0..<n { result.append(Array(gradient[(row * sample)..<((row + 1) * sample)])) }
            start += n
        }
        return result
    }
}
