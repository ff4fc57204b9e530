import Model

extension SeedWindowScorer {
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
    /// (tiles × F)·(F × groups·16), a column per tap group and hidden unit.
    func winogradLogits(count: Int, reverse: Bool, kernels: WinogradKernels, scratch: Scratch) {
        let g = groups, f = filters, pool = poolSize
        let tapGroups = slots / 3, columns = kernels.columns
        let transforms = WinogradF43.kernelRows.count
        let offset = reverse ? span - poolSize * slots : 0
        // Outputs y_g[t] are needed for t < offset + 3P·(groups − 1) + count.
        let outputs = offset + 3 * pool * (tapGroups - 1) + count
        let blocks = (outputs + 4 * pool - 1) / (4 * pool)
        let tiles = blocks * pool
        let computed = count + span - poolSize  // maxima rows from this block's conv values
        let rows = blocks * 4 * pool + 2 * pool  // rows the tiles read, padded with zeros
        scratch.require(.maxima, max(rows, computed) * g)
        scratch.require(.pooled, transforms * tiles * f)
        scratch.require(.hidden, transforms * tiles * columns)
        scratch.require(.winogradOutputs, blocks * 4 * pool * (columns / 16))
        scratch.require(.logits, count)
        let maxima = scratch.maxima
        for i in (computed * g)..<(max(rows, computed) * g) { maxima[i] = .zero }
        // Transformed inputs Bᵀd: six (tiles × F) matrices.
        WinogradF43.transformInputs(maxima, into: UnsafeMutableRawPointer(scratch.pooled).assumingMemoryBound(to: Vector.self),
                                    blocks: blocks, pool: pool, groups: g)
        let products = scratch.hidden
        let transformStride = f * columns
        kernels.values.withUnsafeBufferPointer { values in
            guard let base = values.baseAddress else { return }
            for k in 0..<transforms {
                MatrixKernels.multiply(m: tiles, n: columns, k: f, a: scratch.pooled + k * tiles * f, lda: f,
                                       b: base + ((reverse ? transforms : 0) + k) * transformStride, ldb: columns,
                                       c: products + k * tiles * columns, ldc: columns)
            }
        }
        // The output transform Aᵀ into y[t]; window i then sums tap group g's columns of
        // y[i + o + 3P·g]. Each y is used by one window.
        let y = scratch.winogradOutputs
        WinogradF43.transformOutputs(UnsafeRawPointer(products).assumingMemoryBound(to: Vector.self), into: y,
                                     blocks: blocks, pool: pool, vectors: columns / 16)
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
}

/// Lavin & Gray's F(4,3) transforms (interpolation points 0, ±1, ±2 and ∞): four outputs of
/// y[t] = Σ_b d[t + b]·g_b are Aᵀ·((G·g) ⊙ (Bᵀ·d)) for six inputs d.
enum WinogradF43 {
    typealias Vector = MatrixKernels.Vector

    /// Bᵀd for every tile: tile τ = P·block + r reads d_j = m[t + P·j] (j = 0 … 5) with
    /// t = 4P·block + r, and writes its six transformed inputs one plane (tiles × groups
    /// vectors) apart.
    @inline(__always)
    static func transformInputs(_ maxima: UnsafeMutablePointer<Vector>, into transformed: UnsafeMutablePointer<Vector>,
                                blocks: Int, pool: Int, groups g: Int) {
        let plane = blocks * pool * g
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
    }

    /// Aᵀ·M for every tile: the six products M_k (planes of tiles × `vectors`) of tile τ give
    /// y[t + P·j] (j = 0 … 3), rows of `vectors` in t order.
    @inline(__always)
    static func transformOutputs(_ m: UnsafePointer<Vector>, into y: UnsafeMutablePointer<Vector>,
                                 blocks: Int, pool: Int, vectors: Int) {
        let stride = blocks * pool * vectors
        let outputStride = pool * vectors  // y[t + P] is P rows after y[t]
        for block in 0..<blocks {
            for r in 0..<pool {
                let tile = block * pool + r, t = 4 * pool * block + r
                for v in 0..<vectors {
                    let mk = m + tile * vectors + v, out = y + t * vectors + v
                    let m1 = mk[stride], m2 = mk[2 &* stride], m3 = mk[3 &* stride], m4 = mk[4 &* stride]
                    let s12 = m1 + m2, d12 = m1 - m2, s34 = m3 + m4, d34 = m3 - m4
                    out[0] = (mk[0] + s12) + s34
                    out[outputStride] = d12 + 2 * d34
                    out[2 &* outputStride] = s12 + 4 * s34
                    out[3 &* outputStride] = (d12 + 8 * d34) + mk[5 &* stride]
                }
            }
        }
    }

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

/// Step 1's Winograd kernels: U = G·g for each strand, tap group and hidden unit,
/// [strand][transform k][filter][column], column = tap group · 16 + unit. g0 … g2 are the
/// dense kernel's slots `weightSlot(3g + b)` (b = 0, 1, 2): for nine slots on the − strand,
/// slots 8 − 3g … 6 − 3g. Each U is computed in Double and rounded once.
struct WinogradKernels: Sendable {
    let columns: Int
    let values: [Float]

    /// Nil unless there are 16 units and the slots split into tap groups of three.
    init?(dense1Kernel: [Float], units: Int, filters: Int) {
        let slots = dense1Kernel.count / (units * filters)
        guard units == 16, slots % 3 == 0 else { return nil }
        let tapGroups = slots / 3
        let columns = tapGroups * 16
        let transforms = WinogradF43.kernelRows.count
        var values = [Float](repeating: 0, count: 2 * transforms * filters * columns)
        for strand in 0..<2 {
            for group in 0..<tapGroups {
                for f in 0..<filters {
                    for u in 0..<units {
                        let g = (0..<3).map { b -> Double in
                            let slot = FastPath.weightSlot(3 * group + b, slots: slots, reverse: strand == 1)
                            return Double(dense1Kernel[(slot * filters + f) * units + u])
                        }
                        for (k, row) in WinogradF43.kernelRows.enumerated() {
                            let value = zip(row, g).reduce(0) { $0 + $1.0 * $1.1 }
                            values[((strand * transforms + k) * filters + f) * columns + group * 16 + u] = Float(value)
                        }
                    }
                }
            }
        }
        self.columns = columns
        self.values = values
    }
}
