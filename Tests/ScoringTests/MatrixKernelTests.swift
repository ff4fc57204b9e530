import Model
import Scoring
import Testing

/// The matrix kernels against their scalar references, bit for bit, at the tile's boundary
/// sizes and at the shapes the scan uses; then the scan's kernels at block boundaries.
@Suite struct MatrixKernelTests {
    static func values(_ count: Int, random: inout MersenneTwister) -> [Float] {
        (0..<count).map { _ in Float(random.nextDouble() * 4 - 2) }
    }

    /// Rows around the 4-, 6- and 12-row tiles and the 512-window block; columns of one to
    /// three panels; depths from 0 (C = 0, or the bias) to the pooled-row product's 288.
    @Test(arguments: [(16, 0), (16, 1), (16, 12), (48, 32), (16, 288), (32, 5)])
    func multiplyMatchesTheReferenceBitForBit(n: Int, k: Int) {
        var random = MersenneTwister(seed: UInt32(n * 1000 + k))
        for m in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 17, 23, 24, 25, 63, 64, 65, 511, 512, 513] {
            // Leading dimensions wider than the matrices, so a kernel that ignores them fails.
            let lda = k + 3, ldb = n + 16, ldc = n + 16
            let a = MatrixKernelTests.values(max(m * lda, 1), random: &random)
            let b = MatrixKernelTests.values(max(k * ldb, 1), random: &random)
            let c0 = MatrixKernelTests.values(max(m * ldc, 1), random: &random)
            let bias = MatrixKernelTests.values(n, random: &random)
            for withBias in [false, true] {
                var fast = c0, reference = c0
                a.withUnsafeBufferPointer { a in
                    b.withUnsafeBufferPointer { b in
                        bias.withUnsafeBufferPointer { bias in
                            let bias = withBias ? bias.baseAddress : nil
                            fast.withUnsafeMutableBufferPointer { c in
                                MatrixKernels.multiply(m: m, n: n, k: k, a: a.baseAddress!, lda: lda, b: b.baseAddress!, ldb: ldb,
                                                       c: c.baseAddress!, ldc: ldc, bias: bias)
                            }
                            reference.withUnsafeMutableBufferPointer { c in
                                MatrixKernels.referenceMultiply(m: m, n: n, k: k, a: a.baseAddress!, lda: lda, b: b.baseAddress!,
                                                                ldb: ldb, c: c.baseAddress!, ldc: ldc, bias: bias)
                            }
                        }
                    }
                }
                // Bit for bit, padding columns included (they must be left alone).
                #expect(fast.map(\.bitPattern) == reference.map(\.bitPattern), "m \(m), n \(n), k \(k), bias \(withBias)")
                if !withBias, m > 0 {
                    // And the reference is the product: row 0, column n − 1 in Double.
                    let exact = (0..<k).reduce(0.0) { $0 + Double(a[$1]) * Double(b[$1 * ldb + n - 1]) }
                    #expect(abs(Double(reference[n - 1]) - exact) <= 1e-5 * Double(max(k, 1)))
                }
            }
        }
    }

    @Test func rowDotsMatchTheReferenceBitForBit() {
        var random = MersenneTwister(seed: 4)
        let w = MatrixKernels.Vector(MatrixKernelTests.values(16, random: &random))
        for count in [0, 1, 7, 8, 9, 15, 16, 17, 511, 512, 513] {
            let h = MatrixKernelTests.values(max(count * 16, 1), random: &random)
            var fast = [Float](repeating: .nan, count: count + 1)
            h.withUnsafeBufferPointer { h in
                fast.withUnsafeMutableBufferPointer { y in
                    MatrixKernels.rowDots(h.baseAddress!, count: count, weights: w, bias: 0.25, into: y.baseAddress!)
                }
                for i in 0..<count {
                    let expected = MatrixKernels.referenceRowDot(h.baseAddress! + i * 16, weights: w, bias: 0.25)
                    #expect(fast[i].bitPattern == expected.bitPattern, "count \(count), row \(i)")
                    let exact = (0..<16).reduce(0.25) { $0 + Double(h[i * 16 + $1]) * Double(w[$1]) }
                    #expect(abs(Double(expected) - exact) <= 1e-5)
                }
            }
            #expect(fast[count].isNaN, "rowDots wrote past row \(count)")
        }
    }

    /// The seed kernel's fast path (table convolution, Winograd or pooled-row products, the
    /// output unit) against its reference path, for records whose window counts sit at the
    /// block's edges (0, 1, block − 1, block, block + 1) and at odd lengths, on both strands
    /// and at steps 1, 7 and 50: within 1e-5 everywhere, and the same windows above threshold.
    @Test(arguments: [1, 7, 50])
    func fastPathAtBlockBoundaries(step: Int) throws {
        let network = try Network.builtin()
        let block = 512
        var random = MersenneTwister(seed: UInt32(step))
        for windows in [0, 1, block - 1, block, block + 1, 2 * block + 3] {
            // The most bases that give this many windows when the count is odd, the fewest when even.
            let length = windows == 0 ? 49 : 50 + (windows - 1) * step + (windows % 2 == 1 ? step - 1 : 0)
            let bases = (0..<length).map { _ in Array("ACGT".utf8)[Int(random.nextUInt32() % 4)] }
            let fast = WindowProbe.probabilities(network, bases: bases, step: step, threshold: 0.5)
            let reference = WindowProbe.probabilities(network, bases: bases, step: step, threshold: nil)
            #expect(fast.count == reference.count)
            #expect(fast.count == 2 * (length >= 50 ? (length - 50) / step + 1 : 0), "length \(length)")
            for (p, q) in zip(fast, reference) {
                #expect(abs(p - q) <= 1e-5, "\(windows) windows, length \(length), step \(step)")
                #expect((p >= 0.5) == (q >= 0.5))
            }
        }
    }
}
