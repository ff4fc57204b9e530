/// The scan's matrix products, in plain Swift SIMD: C = A·B for row-major A (m × k) and
/// B (k × n) with n a multiple of 16, and the output unit's row dot products.
///
/// Each product runs register tiles of 16 columns (`SIMD16<Float>`: two AVX2 registers, one
/// AVX-512 register, four SSE registers in the portable build) by 6 rows, then 4 and 1 for
/// the rest; with AVX-512's 32 registers, 8 rows × 32 columns and 12 rows × 16. Per k, each
/// row of B in the tile is loaded once and multiplied into every row's accumulator, with
/// enough independent chains to hide the multiply-add latency. B's rows are read
/// in place, so a B of the scan's shapes (32 × 48, 288 × 16, a dense kernel) needs no
/// packing; A's rows are read one value at a time, broadcast.
///
/// Every C value is `sum += a[i][p]·b[p][j]` for p = 0 … k − 1 in that order, starting from
/// the bias (one value per column, the same for every row) or zero, whatever the row's place in a tile: the value of a window
/// does not depend on which other windows share its block, so output is the same for any
/// chunk size. Each step is one fused multiply-add where the build targets FMA
/// (`ANNOTATE_FMA`, or arm64) and a rounded product and sum otherwise; the rounding bound of
/// the fast path (`FastPath.logitErrorBound`) holds for either. The naive scalar references
/// beside each kernel compute the same sums in the same order, with the same step, so they
/// agree bit for bit (`MatrixKernelTests`).
package enum MatrixKernels {
    package typealias Vector = SIMD16<Float>

    /// acc + a·b, fused where the build targets FMA. (Without FMA hardware a fused SIMD
    /// multiply-add is a call into software emulation per lane: several times slower.)
    @inline(__always)
    static func multiplyAdd(_ acc: Vector, _ a: Vector, _ b: Vector) -> Vector {
        #if ANNOTATE_FMA || arch(arm64)
        return acc.addingProduct(a, b)
        #else
        return acc + a * b
        #endif
    }

    /// The scalar form of `multiplyAdd`, for the references.
    @inline(__always)
    static func multiplyAdd(_ acc: Float, _ a: Float, _ b: Float) -> Float {
        #if ANNOTATE_FMA || arch(arm64)
        return acc.addingProduct(a, b)
        #else
        return acc + a * b
        #endif
    }

    /// C (m × n) = [bias +] A (m × k) · B (k × n), row-major with leading dimensions lda, ldb
    /// and ldc (in floats); `bias` has n values, added to every row. n must be a multiple of 16.
    package static func multiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                         c: UnsafeMutablePointer<Float>, ldc: Int, bias: UnsafePointer<Float>? = nil) {
        assert(n % 16 == 0, "columns must be a multiple of 16")
        let product = Tiles(k: k, a: a, lda: lda, b: UnsafeRawPointer(b), ldb: ldb, c: UnsafeMutableRawPointer(c), ldc: ldc,
                            bias: bias.map { UnsafeRawPointer($0) })
        var j = 0
        #if ANNOTATE_AVX512
        // Panels of 32 columns, 8 rows at a time; the rows left over go by 16 columns.
        while j + 32 <= n {
            var i = 0
            while i + 8 <= m {
                product.rows8columns32(i, j)
                i += 8
            }
            product.panel16(j, rows: i..<m)
            product.panel16(j + 16, rows: i..<m)
            j += 32
        }
        #endif
        while j < n {
            product.panel16(j, rows: 0..<m)
            j += 16
        }
    }

    /// The register tiles of one `multiply`: each computes a block of C from scratch, with
    /// one accumulator vector per 16 columns of a row, so that a value's order of operations
    /// does not depend on the tile it falls in.
    private struct Tiles {
        let k: Int
        let a: UnsafePointer<Float>, lda: Int
        let b: UnsafeRawPointer, ldb: Int
        let c: UnsafeMutableRawPointer, ldc: Int
        let bias: UnsafeRawPointer?

        @inline(__always) func row(_ p: Int, _ j: Int) -> Vector {
            b.loadUnaligned(fromByteOffset: (p * ldb + j) * 4, as: Vector.self)
        }

        @inline(__always) func start(_ j: Int) -> Vector {
            guard let bias else { return .zero }
            return bias.loadUnaligned(fromByteOffset: j * 4, as: Vector.self)
        }

        @inline(__always) func store(_ v: Vector, _ i: Int, _ j: Int) {
            c.storeBytes(of: v, toByteOffset: (i * ldc + j) * 4, as: Vector.self)
        }

        /// Columns j ..< j + 16 of `rows`: 12 rows at a time with AVX-512 (32 registers:
        /// twelve accumulators hide the multiply-add latency), then 6, 4 and 1.
        @inline(__always) func panel16(_ j: Int, rows: Range<Int>) {
            var i = rows.lowerBound
            #if ANNOTATE_AVX512
            while i + 12 <= rows.upperBound {
                rows12(i, j)
                i += 12
            }
            #endif
            while i + 6 <= rows.upperBound {
                rows6(i, j)
                i += 6
            }
            while i + 4 <= rows.upperBound {
                rows4(i, j)
                i += 4
            }
            while i < rows.upperBound {
                let a0 = a + i * lda
                var c0 = start(j)
                for p in 0..<k { c0 = multiplyAdd(c0, Vector(repeating: a0[p]), row(p, j)) }
                store(c0, i, j)
                i += 1
            }
        }

        @inline(__always) func rows6(_ i: Int, _ j: Int) {
            let a0 = a + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda
            var c0 = start(j), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0
            for p in 0..<k {
                let w = row(p, j)
                c0 = multiplyAdd(c0, Vector(repeating: a0[p]), w)
                c1 = multiplyAdd(c1, Vector(repeating: a1[p]), w)
                c2 = multiplyAdd(c2, Vector(repeating: a2[p]), w)
                c3 = multiplyAdd(c3, Vector(repeating: a3[p]), w)
                c4 = multiplyAdd(c4, Vector(repeating: a4[p]), w)
                c5 = multiplyAdd(c5, Vector(repeating: a5[p]), w)
            }
            store(c0, i, j)
            store(c1, i + 1, j)
            store(c2, i + 2, j)
            store(c3, i + 3, j)
            store(c4, i + 4, j)
            store(c5, i + 5, j)
        }

        #if ANNOTATE_AVX512
        @inline(__always) func rows12(_ i: Int, _ j: Int) {
            let a0 = a + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda
            let a6 = a5 + lda, a7 = a6 + lda, a8 = a7 + lda, a9 = a8 + lda, a10 = a9 + lda, a11 = a10 + lda
            var c0 = start(j), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0
            var c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0
            for p in 0..<k {
                let w = row(p, j)
                c0 = multiplyAdd(c0, Vector(repeating: a0[p]), w)
                c1 = multiplyAdd(c1, Vector(repeating: a1[p]), w)
                c2 = multiplyAdd(c2, Vector(repeating: a2[p]), w)
                c3 = multiplyAdd(c3, Vector(repeating: a3[p]), w)
                c4 = multiplyAdd(c4, Vector(repeating: a4[p]), w)
                c5 = multiplyAdd(c5, Vector(repeating: a5[p]), w)
                c6 = multiplyAdd(c6, Vector(repeating: a6[p]), w)
                c7 = multiplyAdd(c7, Vector(repeating: a7[p]), w)
                c8 = multiplyAdd(c8, Vector(repeating: a8[p]), w)
                c9 = multiplyAdd(c9, Vector(repeating: a9[p]), w)
                c10 = multiplyAdd(c10, Vector(repeating: a10[p]), w)
                c11 = multiplyAdd(c11, Vector(repeating: a11[p]), w)
            }
            store(c0, i, j)
            store(c1, i + 1, j)
            store(c2, i + 2, j)
            store(c3, i + 3, j)
            store(c4, i + 4, j)
            store(c5, i + 5, j)
            store(c6, i + 6, j)
            store(c7, i + 7, j)
            store(c8, i + 8, j)
            store(c9, i + 9, j)
            store(c10, i + 10, j)
            store(c11, i + 11, j)
        }
        #endif

        @inline(__always) func rows4(_ i: Int, _ j: Int) {
            let a0 = a + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda
            var c0 = start(j), c1 = c0, c2 = c0, c3 = c0
            for p in 0..<k {
                let w = row(p, j)
                c0 = multiplyAdd(c0, Vector(repeating: a0[p]), w)
                c1 = multiplyAdd(c1, Vector(repeating: a1[p]), w)
                c2 = multiplyAdd(c2, Vector(repeating: a2[p]), w)
                c3 = multiplyAdd(c3, Vector(repeating: a3[p]), w)
            }
            store(c0, i, j)
            store(c1, i + 1, j)
            store(c2, i + 2, j)
            store(c3, i + 3, j)
        }

        /// 8 rows × 32 columns: 16 accumulators, and per k two loads of B and eight
        /// broadcasts for sixteen multiply-adds.
        @inline(__always) func rows8columns32(_ i: Int, _ j: Int) {
            let a0 = a + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda
            let a4 = a3 + lda, a5 = a4 + lda, a6 = a5 + lda, a7 = a6 + lda
            var c0 = start(j), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0
            var d0 = start(j + 16), d1 = d0, d2 = d0, d3 = d0, d4 = d0, d5 = d0, d6 = d0, d7 = d0
            for p in 0..<k {
                let w = row(p, j), v = row(p, j + 16)
                let x0 = Vector(repeating: a0[p]), x1 = Vector(repeating: a1[p])
                c0 = multiplyAdd(c0, x0, w)
                d0 = multiplyAdd(d0, x0, v)
                c1 = multiplyAdd(c1, x1, w)
                d1 = multiplyAdd(d1, x1, v)
                let x2 = Vector(repeating: a2[p]), x3 = Vector(repeating: a3[p])
                c2 = multiplyAdd(c2, x2, w)
                d2 = multiplyAdd(d2, x2, v)
                c3 = multiplyAdd(c3, x3, w)
                d3 = multiplyAdd(d3, x3, v)
                let x4 = Vector(repeating: a4[p]), x5 = Vector(repeating: a5[p])
                c4 = multiplyAdd(c4, x4, w)
                d4 = multiplyAdd(d4, x4, v)
                c5 = multiplyAdd(c5, x5, w)
                d5 = multiplyAdd(d5, x5, v)
                let x6 = Vector(repeating: a6[p]), x7 = Vector(repeating: a7[p])
                c6 = multiplyAdd(c6, x6, w)
                d6 = multiplyAdd(d6, x6, v)
                c7 = multiplyAdd(c7, x7, w)
                d7 = multiplyAdd(d7, x7, v)
            }
            store(c0, i, j)
            store(c1, i + 1, j)
            store(c2, i + 2, j)
            store(c3, i + 3, j)
            store(c4, i + 4, j)
            store(c5, i + 5, j)
            store(c6, i + 6, j)
            store(c7, i + 7, j)
            store(d0, i, j + 16)
            store(d1, i + 1, j + 16)
            store(d2, i + 2, j + 16)
            store(d3, i + 3, j + 16)
            store(d4, i + 4, j + 16)
            store(d5, i + 5, j + 16)
            store(d6, i + 6, j + 16)
            store(d7, i + 7, j + 16)
        }
    }

    /// `multiply`, one scalar at a time.
    package static func referenceMultiply(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                                  c: UnsafeMutablePointer<Float>, ldc: Int, bias: UnsafePointer<Float>? = nil) {
        for i in 0..<m {
            for j in 0..<n {
                var sum: Float = bias?[j] ?? 0
                for p in 0..<k { sum = multiplyAdd(sum, a[i * lda + p], b[p * ldb + j]) }
                c[i * ldc + j] = sum
            }
        }
    }

    /// y[i] = bias + Σ_u h[i][u]·w[u] for `count` rows of 16 values: the output unit.
    ///
    /// Eight rows at a time, their products summed into one lane each by a transposing tree
    /// (pairs of lanes, then pairs of pairs, …), so that no row needs a horizontal sum of
    /// its own. A row's sum has the same tree whatever its place among the eight.
    package static func rowDots(_ h: UnsafePointer<Float>, count: Int, weights w: Vector, bias: Float, into y: UnsafeMutablePointer<Float>) {
        let raw = UnsafeRawPointer(h)
        @inline(__always) func folded(_ i: Int) -> SIMD8<Float> {
            let p = raw.loadUnaligned(fromByteOffset: i * 64, as: Vector.self) * w
            return p.lowHalf + p.highHalf
        }
        @inline(__always) func pairs(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
            SIMD8(lowHalf: a.evenHalf + a.oddHalf, highHalf: b.evenHalf + b.oddHalf)
        }
        var i = 0
        while i + 8 <= count {
            let q01 = pairs(folded(i), folded(i + 1)), q23 = pairs(folded(i + 2), folded(i + 3))
            let q45 = pairs(folded(i + 4), folded(i + 5)), q67 = pairs(folded(i + 6), folded(i + 7))
            // Lanes: q0123 = (r0, r0, r1, r1, r2, r2, r3, r3) partial sums; then one lane a row.
            let sums = pairs(pairs(q01, q23), pairs(q45, q67))
            UnsafeMutableRawPointer(y + i).storeBytes(of: sums + SIMD8(repeating: bias), as: SIMD8<Float>.self)
            i += 8
        }
        while i < count {
            y[i] = referenceRowDot(h + i * 16, weights: w, bias: bias)
            i += 1
        }
    }

    /// One row of `rowDots`, scalar, in the same tree.
    package static func referenceRowDot(_ h: UnsafePointer<Float>, weights w: Vector, bias: Float) -> Float {
        // Fold the halves (lane l with lane l + 8), then add adjacent pairs three times.
        var f = SIMD8<Float>()
        for l in 0..<8 { f[l] = h[l] * w[l] + h[l + 8] * w[l + 8] }
        let f01 = f[0] + f[1], f23 = f[2] + f[3], f45 = f[4] + f[5], f67 = f[6] + f[7]
        return ((f01 + f23) + (f45 + f67)) + bias
    }
}
