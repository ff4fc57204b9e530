import Model

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the fast path needs beyond the reference weights: k-mer tables for the
/// convolution, the dense kernel in Keras's layout, and the bound that makes skipping exact.
///
/// The convolution of a position is the sum of `tables.count` table rows, one per run of up
/// to four taps, indexed by those taps' bases in base 4 (the first base most significant);
/// the first table holds the bias too. Four taps keep a strand's tables at 96 KB for the
/// seed shape, inside L2; six-tap tables (1 MB a strand) made the scan wait on memory. A base that is not ACGT is read as `code & 3`: no
/// scorable window contains one, so those values are never used.
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
    /// Step 1's Winograd F(4,3) kernels, forward then reverse: [strand][transform k 0–5]
    /// [filter][tap group g · 16 + unit], nil unless the slots split into groups of three
    /// (see `SeedWindowScorer.winogradLogits`).
    let winogradKernels: [Float]?
    /// A bound on |fast logit − reference logit| for any window (see `logitErrorBound`).
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
        winogradKernels = FastPath.winogradKernels(dense1Kernel: dense1Kernel, units: dense1Bias.count, filters: groups * 16)
        logitError = FastPath.logitErrorBound(
            taps: forwardTaps, convBias: convBias, kernelSize: kernelSize, groups: groups,
            dense1Kernel: dense1Kernel, dense1Bias: dense1Bias, dense2Kernel: dense2Kernel, dense2Bias: dense2Bias)
    }

    /// A worst-case bound on |z_fast − z_ref|, the difference between the fast path's logit
    /// and the reference path's, for any window, in any order of summation, with or without
    /// fused multiply-adds (Higham, *Accuracy and Stability of Numerical Algorithms*, §3.1:
    /// a Float sum of n products is within γₙ = n·u/(1 − n·u) times the sum of their absolute
    /// values, u = 2⁻²⁴).
    ///
    /// - conv value of filter f: both paths sum the bias and K taps, each within γ_{K+1}·A_f
    ///   where A_f = |bias| + Σₖ maxᵦ |tap(k, b)|; so they differ by δ_f = 2γ_{K+1}·A_f, and
    ///   |conv| ≤ M_f = A_f(1 + γ_{K+1}) + δ_f. Max-pooling changes neither bound.
    /// - hidden unit u: S_u = |b1_u| + Σᵢ |W1_iu|·M_f(i) bounds every term sum, so the
    ///   reference pre-activation is within γ_{n+1}·S_u of the exact one (n = slots·filters),
    ///   the fast one within γ_{n+1}·S_u (direct product) or γ_{F+slots+16}·T_u (Winograd, where
    ///   T_u bounds the sum of |elementary products| of the transformed algorithm, every
    ///   coefficient taken in absolute value, see `winogradLogits`),
    ///   and the conv difference adds Σᵢ |W1_iu|·δ_f(i). Relu keeps the difference.
    /// - logit: Σ_u |w2_u|·Δa_u + 2γ₁₈·(|b2| + Σ_u |w2_u|·S_u(1 + γ_{n+1})).
    ///
    /// The result is widened by 1% and 1e-6. Computed in Double, whose own rounding is far below that.
    /// The analysis assumes no Float overflows, so where any of these magnitudes reaches 1e30
    /// the bound is infinite and every window goes through the reference path.
    static func logitErrorBound(
        taps: [Vector], convBias: [Vector], kernelSize: Int, groups: Int,
        dense1Kernel: [Float], dense1Bias: [Float], dense2Kernel: [Float], dense2Bias: Float
    ) -> Double {
        let u = Double(Float.ulpOfOne) / 2
        func gamma(_ n: Int) -> Double { Double(n) * u / (1 - Double(n) * u) }
        let filters = groups * 16
        var difference = [Double](repeating: 0, count: filters)  // δ_f
        var magnitude = [Double](repeating: 0, count: filters)  // M_f
        for f in 0..<filters {
            var a = Double(abs(convBias[f / 16][f % 16]))
            for k in 0..<kernelSize {
                a += (0..<4).map { Double(abs(taps[(k * 5 + $0) * groups + f / 16][f % 16])) }.max() ?? 0
            }
            difference[f] = 2 * gamma(kernelSize + 1) * a
            magnitude[f] = a * (1 + gamma(kernelSize + 1)) + difference[f]
        }
        let units = dense1Bias.count
        let inputs = dense1Kernel.count / units
        let slots = inputs / filters
        var logit = 0.0
        var headTerms = Double(abs(dense2Bias))
        for unit in 0..<units {
            var s = Double(abs(dense1Bias[unit])), shift = 0.0
            for i in 0..<inputs {
                let w = Double(abs(dense1Kernel[i * units + unit]))
                s += w * magnitude[i % filters]
                shift += w * difference[i % filters]
            }
            // Winograd F(4,3) (step 1): an output is Σ_k A_jk·(Σ_f V_k,f·U_k,f) with
            // V = Bᵀd and U = G·g. Expanded, its elementary products are bounded by
            // Σ_k |A_jk|·(Σᵢ |Bᵀ_ki|·M_f)·(Σ_b |G_kb|·|g_b|), for the worst output j of each tap
            // group and for either strand (which reads g0 … g2 in the other order). Each one
            // passes through fewer than F + slots + 16 roundings: at most three in Bᵀd, one for
            // U (computed in Double, rounded once), the product, F − 1 in the dot, at most three
            // in the output transform and one per tap group and bias.
            var winograd = 0.0
            if slots % 3 == 0 {
                for strand in 0..<2 {
                    var total = Double(abs(dense1Bias[unit]))
                    for group in 0..<(slots / 3) {
                        var perOutput = [Double](repeating: 0, count: 4)
                        for f in 0..<filters {
                            let g = (0..<3).map { b -> Double in
                                let slot = strand == 0 ? 3 * group + b : slots - 1 - (3 * group + b)
                                return Double(abs(dense1Kernel[(slot * filters + f) * units + unit]))
                            }
                            for k in 0..<6 {
                                let u = zip(WinogradF43.kernelRows[k], g).reduce(0) { $0 + abs($1.0) * $1.1 }
                                let term = WinogradF43.inputRowSums[k] * magnitude[f] * u
                                for j in 0..<4 { perOutput[j] += abs(WinogradF43.outputRows[j][k]) * term }
                            }
                        }
                        total += perOutput.max() ?? 0
                    }
                    winograd = Swift.max(winograd, total)
                }
            }
            let w2 = Double(abs(dense2Kernel[unit]))
            guard Swift.max(s, winograd, w2 * s) < 1e30 else { return .infinity }
            let fast = Swift.max(gamma(inputs + 1) * s, gamma(filters + slots + 16) * winograd)
            logit += w2 * (shift + gamma(inputs + 1) * s + fast)
            headTerms += w2 * s * (1 + gamma(inputs + 1))
        }
        logit += 2 * gamma(units + 2) * headTerms
        return logit * 1.01 + 1e-6
    }

    /// U = G·g for each strand and tap group g (slots 3g, 3g + 1, 3g + 2 with weights g0, g1,
    /// g2), the rows of `WinogradF43.kernelRows`, each computed in Double and rounded once.
    /// The − strand reads the slots in reverse order, so its g0 … g2 are slots 8 − 3g … 6 − 3g
    /// (for nine slots).
    static func winogradKernels(dense1Kernel: [Float], units: Int, filters: Int) -> [Float]? {
        let slots = dense1Kernel.count / (units * filters)
        guard units == 16, slots % 3 == 0 else { return nil }
        let tapGroups = slots / 3, columns = tapGroups * 16
        let transforms = WinogradF43.kernelRows.count
        var kernels = [Float](repeating: 0, count: 2 * transforms * filters * columns)
        for strand in 0..<2 {
            for group in 0..<tapGroups {
                for f in 0..<filters {
                    for u in 0..<units {
                        let g = (0..<3).map { b -> Double in
                            let slot = strand == 0 ? 3 * group + b : slots - 1 - (3 * group + b)
                            return Double(dense1Kernel[(slot * filters + f) * units + u])
                        }
                        for (k, row) in WinogradF43.kernelRows.enumerated() {
                            let value = zip(row, g).reduce(0) { $0 + $1.0 * $1.1 }
                            kernels[((strand * transforms + k) * filters + f) * columns + group * 16 + u] = Float(value)
                        }
                    }
                }
            }
        }
        return kernels
    }

    /// The logit below which a window's reference probability is certainly under `threshold`.
    ///
    /// The reference probability is `Activation.sigmoid(z_ref)`, within 1e-6 of the true
    /// sigmoid (expf, an add and a divide, each within an ulp). So p_ref ≥ t needs
    /// σ(z_ref) ≥ t − 1e-6, that is z_ref ≥ logit(t − 1e-6); and z_ref ≤ z_fast + error.
    /// A fast logit below logit(t − 1e-6) − error − 1e-4 therefore proves p_ref < t.
    /// −∞ (check every window) when the threshold is 0 or less, or the bound is not finite.
    func logitCut(threshold: Float) -> Float {
        let t = Double(threshold) - 1e-6
        guard t > 0, logitError.isFinite else { return -.infinity }
        let cut = t >= 1 ? Double.infinity : log(t / (1 - t)) - logitError - 1e-4
        return cut.isNaN ? -.infinity : Float(cut).nextDown
    }
}

extension SeedWindowScorer {
    /// The fast path's logits for `count` windows of one strand, window i starting at
    /// `codes + i · step`, into `scratch.logits`.
    ///
    /// Step 1 shares the pooled rows between overlapping windows through Winograd's F(4,3)
    /// (`winogradLogits`). Larger steps gather each window's pooled rows and multiply
    /// (windows × slots·filters) · (slots·filters × 16) (`gatherPooledRows`, `multiplyPooledRows`).
    func fastLogits(codes: UnsafePointer<UInt8>, count: Int, step: Int, reverse: Bool, scratch: Scratch) {
        let overlapping = step < span
        let pooled = UnsafeMutableRawPointer(scratch.pooled).assumingMemoryBound(to: Vector.self)
        let tables = UnsafePointer((reverse ? fast.reverseTables : fast.forwardTables).base)
        if step == 1, fast.winogradKernels != nil {
            // The pooled maxima of every position, then Winograd over the pool slots.
            let positions = count + span - 1
            if isSeedLayout {
                seedMaxima(codes: codes, positions: positions, tables: tables, scratch: scratch)
            } else {
                tableConvolve(codes: codes, positions: positions, tables: tables, into: scratch.conv, kmers: scratch.kmers)
                fastSlidingMax(scratch.conv, positions: positions - poolSize + 1, into: scratch.maxima)
            }
            winogradLogits(count: count, reverse: reverse, scratch: scratch)
            return
        }
        if !overlapping && isSeedLayout {
            poolFromTables(codes: codes, count: count, step: step, reverse: reverse, tables: tables, into: pooled, kmers: scratch.kmers)
        } else if overlapping {
            tableConvolve(codes: codes, positions: (count - 1) * step + span, tables: tables, into: scratch.conv, kmers: scratch.kmers)
        } else {
            for i in 0..<count {
                tableConvolve(codes: codes + i * step, positions: span, tables: tables, into: scratch.conv + i * span * groups,
                              kmers: scratch.kmers)
            }
        }
        if overlapping || !isSeedLayout { gatherPooledRows(count: count, step: step, reverse: reverse, scratch: scratch) }
        multiplyPooledRows(count: count, scratch: scratch)
    }

    /// The seed shape's layout: K = 12 in three 4-mer tables, 32 filters, pool 4.
    var isSeedLayout: Bool {
        groups == 2 && poolSize == 4 && fast.tableTaps.count == 3 && fast.tableTaps.allSatisfy { $0.count == 4 }
    }

    /// Step 1, seed layout: maxima[q] = max(conv[q … q + 3]) for q < positions − 3, straight
    /// from the tables into `scratch.maxima`, with no conv buffer: the 4-mer index of every
    /// position once (shared by the three tables and both groups), then one pass per group
    /// of 16 filters that keeps the last pair maxima in registers.
    private func seedMaxima(codes: UnsafePointer<UInt8>, positions: Int, tables: UnsafePointer<Vector>,
                            scratch: Scratch) {
        let kmers = scratch.kmers
        fourMers(codes, count: positions + 8, into: kmers)
        let g = groups
        let second = tables + fast.tableTaps[1].offset, third = tables + fast.tableTaps[2].offset
        let maxima = scratch.maxima
        for group in 0..<g {
            @inline(__always) func conv(_ q: Int) -> Vector {
                tables[Int(kmers[q]) * g + group] + second[Int(kmers[q + 4]) * g + group] + third[Int(kmers[q + 8]) * g + group]
            }
            let c1 = conv(1)
            var c2 = conv(2)
            var pair01 = FastPath.max(conv(0), c1), pair12 = FastPath.max(c1, c2)
            for q in 0..<(positions - 3) {
                let c3 = conv(q + 3)
                let pair23 = FastPath.max(c2, c3)
                maxima[q * g + group] = FastPath.max(pair01, pair23)
                pair01 = pair12
                pair12 = pair23
                c2 = c3
            }
        }
    }

    /// Windows that do not overlap, seed layout: each window's pooled rows straight from the
    /// tables, pooling the conv values as they come, with no conv buffer. Each strand reads
    /// the slots·P conv positions its pool slots cover (0 … 35 for +, 3 … 38 for −), once.
    private func poolFromTables(codes: UnsafePointer<UInt8>, count: Int, step: Int, reverse: Bool,
                                tables: UnsafePointer<Vector>, into pooled: UnsafeMutablePointer<Vector>, kmers: UnsafeMutablePointer<UInt8>) {
        let second = tables + fast.tableTaps[1].offset, third = tables + fast.tableTaps[2].offset
        let first = reverse ? span - slots * 4 : 0
        for i in 0..<count {
            fourMers(codes + i * step + first, count: slots * 4 + 8, into: kmers)
            let row = pooled + i * slots * 2
            for group in 0..<slots {
                var m0 = Vector(repeating: -.infinity), m1 = m0
                for q in (4 * group)..<(4 * group + 4) {
                    let a = Int(kmers[q]) * 2, b = Int(kmers[q + 4]) * 2, c = Int(kmers[q + 8]) * 2
                    m0 = FastPath.max(m0, tables[a] + second[b] + third[c])
                    m1 = FastPath.max(m1, tables[a + 1] + second[b + 1] + third[c + 1])
                }
                // Forward slot p reads positions 4p … 4p + 3; reverse slot p reads
                // L − K − 3 − 4p … L − K − 4p, which is group slots − 1 − p from `first`.
                let slot = reverse ? slots - 1 - group : group
                row[slot * 2] = m0
                row[slot * 2 + 1] = m1
            }
        }
    }

    /// Step 1, by Winograd's minimal filtering F(4,3) (Lavin & Gray, "Fast Algorithms for
    /// Convolutional Neural Networks", 2016), which needs half the direct product's
    /// multiply-adds: six products for four outputs of a three-tap filter, not twelve.
    ///
    /// Window i's unit u is b1 + Σ_p m[i + o + P·p]·V_p, with o = 0 and V_p = W1's slot p on
    /// the + strand, o = L − K + 1 − P·slots and V_p = slot (slots − 1 − p) on the − strand. Split
    /// the slots into groups of three: y_g[t] = Σ_b m[t + P·b]·V_{3g+b}, and the window sums
    /// y_g[i + o + 3P·g]. Outputs t + P·j (j = 0 … 3) share a tile with inputs d_j = m[t + P·j]
    /// (j = 0 … 5): y[t + P·j] = Σ_k Aᵀ_jk·M_k with M_k = (Bᵀd)_k·U_k (`WinogradF43`). Tile τ
    /// starts at t = 4P·(τ div P) + τ mod P; each M_k is one matrix product
    /// (tiles × F)·(F × groups·16).
    private func winogradLogits(count: Int, reverse: Bool, scratch: Scratch) {
        guard let allKernels = fast.winogradKernels else { return }
        let g = groups, f = filters, pool = poolSize
        let tapGroups = slots / 3, columns = tapGroups * 16
        let transforms = WinogradF43.kernelRows.count
        let offset = reverse ? span - poolSize * slots : 0
        // Outputs y_g[t] are needed for t < offset + 3P·(groups − 1) + count.
        let outputs = offset + 3 * pool * (tapGroups - 1) + count
        let blocks = (outputs + 4 * pool - 1) / (4 * pool)
        let tiles = blocks * pool
        let computed = count + span - poolSize  // maxima rows from this block's conv values
        let rows = blocks * 4 * pool + 2 * pool  // rows the tiles read, padded with zeros
        let maxima = scratch.maxima
        for i in (computed * g)..<(max(rows, computed) * g) { maxima[i] = .zero }
        // Transformed inputs Bᵀd: six (tiles × F) matrices.
        let transformed = UnsafeMutableRawPointer(scratch.pooled).assumingMemoryBound(to: Vector.self)
        let plane = tiles * g
        let inputStride = pool * g  // d_j is P rows after d_(j−1)
        for block in 0..<blocks {
            for r in 0..<pool {
                let tile = block * pool + r, t = 4 * pool * block + r
                for group in 0..<g {
                    let d = UnsafePointer(maxima + t * g + group), out = transformed + tile * g + group
                    let d0 = d[0], d1 = d[inputStride], d2 = d[2 &* inputStride]
                    let d3 = d[3 &* inputStride], d4 = d[4 &* inputStride], d5 = d[5 &* inputStride]
                    let a = d4 - 4 * d2, b = d3 - 4 * d1, c = d4 - d2, e = 2 * (d3 - d1)
                    out[0] = (4 * d0 - 5 * d2) + d4
                    out[plane] = a + b
                    out[2 &* plane] = a - b
                    out[3 &* plane] = c + e
                    out[4 &* plane] = c - e
                    out[5 &* plane] = (4 * d1 - 5 * d3) + d5
                }
            }
        }
        let products = scratch.hidden
        allKernels.withUnsafeBufferPointer { kernels in
            guard let base = kernels.baseAddress else { return }
            for k in 0..<transforms {
                MatrixKernels.multiply(m: tiles, n: columns, k: f, a: scratch.pooled + k * tiles * f, lda: f,
                                       b: base + ((reverse ? transforms : 0) + k) * f * columns, ldb: columns,
                                       c: products + k * tiles * columns, ldc: columns)
            }
        }
        // The output transform Aᵀ, tile by tile, into y_g[t] in t order; window i then sums
        // y_g[i + o + 3P·g]. Each y is used by one window.
        let m = UnsafeRawPointer(products).assumingMemoryBound(to: Vector.self)
        let stride = tiles * tapGroups
        let y = scratch.winogradOutputs
        let outputStride = pool * tapGroups  // y[t + P] is P rows after y[t]
        for block in 0..<blocks {
            for r in 0..<pool {
                let tile = block * pool + r, t = 4 * pool * block + r
                for group in 0..<tapGroups {
                    let mk = m + tile * tapGroups + group, out = y + t * tapGroups + group
                    let m1 = mk[stride], m2 = mk[2 &* stride], m3 = mk[3 &* stride], m4 = mk[4 &* stride]
                    let s12 = m1 + m2, d12 = m1 - m2, s34 = m3 + m4, d34 = m3 - m4
                    out[0] = (mk[0] + s12) + s34
                    out[outputStride] = d12 + 2 * d34
                    out[2 &* outputStride] = s12 + 4 * s34
                    out[3 &* outputStride] = (d12 + 8 * d34) + mk[5 &* stride]
                }
            }
        }
        let hidden = UnsafeMutableRawPointer(products).assumingMemoryBound(to: Vector.self)
        if tapGroups == 3 {
            // The seed shape, unrolled: y_g for window i is at (i + o + 3P·g)·3 + g.
            let y0 = y + offset * 3, y1 = y + (offset + 3 * pool) * 3 + 1, y2 = y + (offset + 6 * pool) * 3 + 2
            for i in 0..<count {
                hidden[i] = FastPath.max(dense1Bias + y0[3 &* i] + y1[3 &* i] + y2[3 &* i], .zero)
            }
        } else {
            for i in 0..<count {
                var a = dense1Bias
                for group in 0..<tapGroups { a += y[(i + offset + 3 * pool * group) * tapGroups + group] }
                hidden[i] = FastPath.max(a, .zero)
            }
        }
        outputUnit(relu: products, count: count, into: scratch.logits)
    }

    /// maxima[q] = max(conv[q … q + P − 1]) for the fast path. For P = 4 it takes the max of
    /// two overlapping maxima of 2, which overwrite `conv` in place (it needs q + P − 1 rows).
    func fastSlidingMax(_ conv: UnsafeMutablePointer<Vector>, positions: Int, into maxima: UnsafeMutablePointer<Vector>) {
        let g = groups
        if poolSize == 4 {
            for i in 0..<(positions + 2) * g { conv[i] = FastPath.max(conv[i], conv[i + g]) }
            for i in 0..<positions * g { maxima[i] = FastPath.max(conv[i], conv[i + 2 * g]) }
            return
        }
        for i in 0..<positions * g {
            var m = conv[i]
            for j in 1..<poolSize { m = FastPath.max(m, conv[i + j * g]) }
            maxima[i] = m
        }
    }

    /// Each window's pooled rows, max-pooled from `scratch.conv` on the way, into
    /// `scratch.pooled` as (windows × slots·filters) in Keras's flatten order.
    private func gatherPooledRows(count: Int, step: Int, reverse: Bool, scratch: Scratch) {
        let g = groups
        let lastConv = span - 1
        let pooled = UnsafeMutableRawPointer(scratch.pooled).assumingMemoryBound(to: Vector.self)
        for i in 0..<count {
            let origin = step < span ? i * step : i * span
            let row = pooled + i * slots * g
            for p in 0..<slots {
                let position = reverse ? origin + lastConv - (poolSize - 1) - poolSize * p : origin + poolSize * p
                for group in 0..<g {
                    var m = scratch.conv[position * g + group]
                    for j in 1..<poolSize { m = FastPath.max(m, scratch.conv[(position + j) * g + group]) }
                    row[p * g + group] = m
                }
            }
        }
    }

    /// Logits from the pooled rows: (windows × slots·filters) · (slots·filters × 16), then
    /// bias, relu and the output unit.
    private func multiplyPooledRows(count: Int, scratch: Scratch) {
        let rowLength = slots * filters
        fast.dense1Kernel.withUnsafeBufferPointer { kernel in
            guard let base = kernel.baseAddress else { return }
            MatrixKernels.multiply(m: count, n: 16, k: rowLength, a: scratch.pooled, lda: rowLength, b: base, ldb: 16,
                                   c: scratch.hidden, ldc: 16)
        }
        let hidden = UnsafeMutableRawPointer(scratch.hidden).assumingMemoryBound(to: Vector.self)
        for i in 0..<count { hidden[i] = FastPath.max(hidden[i] + dense1Bias, .zero) }
        outputUnit(relu: scratch.hidden, count: count, into: scratch.logits)
    }

    /// logits[i] = b2 + w2 · hidden[i] for `count` rows of relu'd hidden units
    /// (`MatrixKernels.rowDots`: a lane sum per window would cost more than the products).
    func outputUnit(relu hidden: UnsafePointer<Float>, count: Int, into logits: UnsafeMutablePointer<Float>) {
        MatrixKernels.rowDots(hidden, count: count, weights: dense2, bias: dense2Bias, into: logits)
    }

    /// conv[q] for q in 0 ..< positions from the k-mer tables (see `FastPath`).
    func tableConvolve(codes: UnsafePointer<UInt8>, positions: Int, tables: UnsafePointer<Vector>,
                       into conv: UnsafeMutablePointer<Vector>, kmers: UnsafeMutablePointer<UInt8>) {
        let g = groups
        let layout = fast.tableTaps
        if layout.count == 3, layout.allSatisfy({ $0.count == 4 }) {
            // K = 12, the seed shape: three 4-mer tables.
            let second = tables + layout[1].offset, third = tables + layout[2].offset
            fourMers(codes, count: positions + 8, into: kmers)
            for q in 0..<positions {
                let a = Int(kmers[q]) * g, b = Int(kmers[q + 4]) * g, c = Int(kmers[q + 8]) * g
                for group in 0..<g {
                    conv[q * g + group] = tables[a + group] + second[b + group] + third[c + group]
                }
            }
            return
        }
        for q in 0..<positions {
            for group in 0..<g { conv[q * g + group] = .zero }
            for table in layout {
                var index = 0
                for j in 0..<table.count { index = index << 2 | Int(codes[q + table.first + j] & 3) }
                let rows = tables + table.offset + index * g
                for group in 0..<g { conv[q * g + group] += rows[group] }
            }
        }
    }
}

/// Lavin & Gray's F(4,3) transforms (interpolation points 0, ±1, ±2 and ∞): four outputs of
/// y[t] = Σ_b d[t + b]·g_b are Aᵀ·((G·g) ⊙ (Bᵀ·d)) for six inputs d.
enum WinogradF43 {
    /// Rows of G (6 × 3).
    static let kernelRows: [[Double]] = [
        [1.0 / 4, 0, 0], [-1.0 / 6, -1.0 / 6, -1.0 / 6], [-1.0 / 6, 1.0 / 6, -1.0 / 6],
        [1.0 / 24, 1.0 / 12, 1.0 / 6], [1.0 / 24, -1.0 / 12, 1.0 / 6], [0, 0, 1],
    ]
    /// Σᵢ |Bᵀ_ki| for each row k of Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0;
    /// 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1], as `winogradLogits` applies it.
    static let inputRowSums: [Double] = [10, 10, 10, 6, 6, 10]
    /// Rows of Aᵀ (4 × 6).
    static let outputRows: [[Double]] = [
        [1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 0], [0, 1, 1, 4, 4, 0], [0, 1, -1, 8, -8, 1],
    ]
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

extension SeedWindowScorer {
    /// kmers[j] = the 4-mer codes[j ..< j + 4] in base 4, the first base most significant,
    /// for j < count: the row index into a 4-mer table. Each index is computed on its own,
    /// not rolled along, so that the loop vectorizes; a base that is not ACGT reads as
    /// `code & 3` (see `FastPath`).
    @inline(__always)
    func fourMers(_ codes: UnsafePointer<UInt8>, count: Int, into kmers: UnsafeMutablePointer<UInt8>) {
        for j in 0..<count {
            kmers[j] = (codes[j] & 3) << 6 | (codes[j + 1] & 3) << 4 | (codes[j + 2] & 3) << 2 | (codes[j + 3] & 3)
        }
    }
}
