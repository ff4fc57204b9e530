/// What the fast path needs beyond the reference weights: k-mer tables for the
/// convolution, the dense kernel in Keras's layout, and the bound that makes skipping exact.
///
/// The convolution of a position is the sum of `tables.count` table rows, one per run of up
/// to four taps, indexed by those taps' bases in base 4 (the first base most significant);
/// the first table holds the bias too. Four taps keep a strand's tables at 96 KB for the
/// seed shape, inside L2; six-tap tables (1 MB a strand) made the scan wait on memory. A
/// base that is not ACGT is read as `code & 3`: no scorable window contains one, so those
/// values are never used.
struct FastPath: Sendable {
    typealias Vector = SIMD16<Float>
    static let tapsPerTable = 4

    /// [table][4^taps entries][group], for each strand, each row on its own cache lines.
    let forwardTables: AlignedVectors
    let reverseTables: AlignedVectors
    /// Per table: its first tap, its number of taps, and where its rows start (in vectors).
    let tableTaps: [(first: Int, count: Int, offset: Int)]
    /// (slots · filters, 16) row-major: Keras's dense kernel layout.
    let dense1Kernel: [Float]
    /// Step 1's Winograd F(4,3) kernels (`SeedWindowScorer.winogradLogits`), nil unless the
    /// slots split into groups of three.
    let winograd: WinogradKernels?
    /// A bound on |fast logit − reference logit| for any window (`FastPath+Bound.swift`).
    let logitError: Double

    init(forwardTaps: [Vector], reverseTaps: [Vector], convBias: [Vector], kernelSize: Int, groups: Int,
         dense1Kernel: [Float], dense1Bias: [Float], dense2Kernel: [Float], dense2Bias: Float) {
        var tableTaps: [(first: Int, count: Int, offset: Int)] = []
        var offset = 0
        for first in stride(from: 0, to: kernelSize, by: FastPath.tapsPerTable) {
            let count = min(FastPath.tapsPerTable, kernelSize - first)
            tableTaps.append((first, count, offset))
            offset += (1 << (2 * count)) * groups
        }
        func tables(_ taps: [Vector]) -> [Vector] {
            var rows = [Vector](repeating: .zero, count: offset)
            for (t, table) in tableTaps.enumerated() {
                for entry in 0..<(1 << (2 * table.count)) {
                    for g in 0..<groups {
                        var sum: Vector = t == 0 ? convBias[g] : .zero
                        for j in 0..<table.count {
                            let code = (entry >> (2 * (table.count - 1 - j))) & 3
                            sum += taps[((table.first + j) * 5 + code) * groups + g]
                        }
                        rows[table.offset + entry * groups + g] = sum
                    }
                }
            }
            return rows
        }
        forwardTables = AlignedVectors(tables(forwardTaps))
        reverseTables = AlignedVectors(tables(reverseTaps))
        self.tableTaps = tableTaps
        self.dense1Kernel = dense1Kernel
        let units = dense1Bias.count, filters = groups * 16
        winograd = WinogradKernels(dense1Kernel: dense1Kernel, units: units, filters: filters)
        logitError = FastPath.logitErrorBound(
            taps: forwardTaps, convBias: convBias, kernelSize: kernelSize, groups: groups,
            dense1Kernel: dense1Kernel, dense1Bias: dense1Bias, dense2Kernel: dense2Kernel, dense2Bias: dense2Bias)
    }
}

/// Read-only vectors at a 64-byte boundary. A Swift array's elements start 32 bytes into its
/// allocation, which put a 128-byte table row (two groups) across three cache lines instead of two.
final class AlignedVectors: @unchecked Sendable {  // never written after init
    let base: UnsafeMutablePointer<SIMD16<Float>>
    let count: Int

    init(_ values: [SIMD16<Float>]) {
        count = values.count
        base = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<SIMD16<Float>>.stride, alignment: 64)
            .bindMemory(to: SIMD16<Float>.self, capacity: max(count, 1))
        base.initialize(from: values, count: count)
    }

    deinit {
        base.deallocate()
    }
}

extension FastPath {
    /// Lane-wise max for the fast path (compiles to `maxps`); NaN handling does not matter
    /// here, because a model whose values can be NaN has an infinite error bound and goes
    /// entirely through the reference path.
    @inline(__always)
    static func max(_ a: Vector, _ b: Vector) -> Vector {
        b.replacing(with: a, where: a .> b)
    }
}
