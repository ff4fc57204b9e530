import Model

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        if step == 1, let kernels = fast.winograd {
            // The pooled maxima of every position, then Winograd over the pool slots.
            let positions = count + span - 1
            scratch.require(.kmers, positions + 8)
            scratch.require(.maxima, (positions - poolSize + 1) * groups)
            if isSeedLayout {
                seedMaxima(codes: codes, positions: positions, tables: tables, scratch: scratch)
            } else {
                scratch.require(.conv, positions * groups)
                tableConvolve(codes: codes, positions: positions, tables: tables, into: scratch.conv, kmers: scratch.kmers)
                fastSlidingMax(scratch.conv, positions: positions - poolSize + 1, into: scratch.maxima)
            }
            winogradLogits(count: count, reverse: reverse, kernels: kernels, scratch: scratch)
            return
        }
        if slots == 1, overlapping {
            // One pool over the whole window (the `global` architecture): each window's row
            // is a sliding maximum over the conv track, the same whatever the strand.
            let positions = (count - 1) * step + span
            scratch.require(.pooled, count * filters)
            scratch.require(.kmers, positions + 8)
            scratch.require(.conv, positions * groups)
            scratch.require(.maxima, positions * groups)
            tableConvolve(codes: codes, positions: positions, tables: tables, into: scratch.conv, kmers: scratch.kmers)
            windowMaxima(scratch.conv, positions: positions, count: count, step: step, suffix: scratch.maxima, into: pooled)
            multiplyPooledRows(count: count, scratch: scratch)
            return
        }
        scratch.require(.pooled, count * slots * filters)
        scratch.require(.kmers, overlapping ? (count - 1) * step + span + 8 : max(span, slots * poolSize + 8) + 8)
        scratch.require(.conv, (overlapping ? (count - 1) * step + span : hasSeedTables ? 0 : count * span) * groups)
        if !overlapping && hasSeedTables {
            poolFromTables(codes: codes, count: count, step: step, reverse: reverse, tables: tables, into: pooled, kmers: scratch.kmers)
        } else if overlapping {
            tableConvolve(codes: codes, positions: (count - 1) * step + span, tables: tables, into: scratch.conv, kmers: scratch.kmers)
        } else {
            for i in 0..<count {
                tableConvolve(codes: codes + i * step, positions: span, tables: tables, into: scratch.conv + i * span * groups,
                              kmers: scratch.kmers)
            }
        }
        if overlapping || !hasSeedTables { gatherPooledRows(count: count, step: step, reverse: reverse, scratch: scratch) }
        multiplyPooledRows(count: count, scratch: scratch)
    }

    /// The seed shape's layout: K = 12 in three 4-mer tables, 32 filters, pool 4.
    var isSeedLayout: Bool { hasSeedTables && poolSize == 4 }

    /// The seed shape's tables, whatever the pool: K = 12 in three 4-mer tables, 32 filters
    /// (the seed shape and the built-in `global` model).
    var hasSeedTables: Bool { groups == 2 && fast.tableTaps.count == 3 && fast.tableTaps.allSatisfy { $0.count == 4 } }

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

    /// Windows that do not overlap, seed tables (any pool: 4, or the whole window for
    /// `global`): each window's pooled rows straight from the tables, pooling the conv
    /// values as they come, with no conv buffer. Each strand reads the slots·P conv
    /// positions its pool slots cover (0 … 35 for + with pool 4, 3 … 38 for −), once.
    private func poolFromTables(codes: UnsafePointer<UInt8>, count: Int, step: Int, reverse: Bool,
                                tables: UnsafePointer<Vector>, into pooled: UnsafeMutablePointer<Vector>, kmers: UnsafeMutablePointer<UInt8>) {
        let second = tables + fast.tableTaps[1].offset, third = tables + fast.tableTaps[2].offset
        let covered = slots * poolSize
        let first = reverse ? span - covered : 0
        for i in 0..<count {
            fourMers(codes + i * step + first, count: covered + 8, into: kmers)
            let row = pooled + i * slots * 2
            for group in 0..<slots {
                var m0 = Vector(repeating: -.infinity), m1 = m0
                for q in (poolSize * group)..<(poolSize * group + poolSize) {
                    let a = Int(kmers[q]) * 2, b = Int(kmers[q + 4]) * 2, c = Int(kmers[q + 8]) * 2
                    m0 = FastPath.max(m0, tables[a] + second[b] + third[c])
                    m1 = FastPath.max(m1, tables[a + 1] + second[b + 1] + third[c + 1])
                }
                // Forward slot p reads positions P·p … P·p + P − 1; reverse slot p reads
                // L − K − P + 1 − P·p … L − K − P·p, which is group slots − 1 − p from `first`.
                let slot = FastPath.weightSlot(group, slots: slots, reverse: reverse)
                row[slot * 2] = m0
                row[slot * 2 + 1] = m1
            }
        }
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

    /// rows[i] = max(conv[i · step … i · step + span − 1]) for `count` windows, by van Herk's
    /// and Gil & Werman's method: with the track cut into blocks of `span` positions, a
    /// window covers the end of one block and the start of the next, so its maximum is the
    /// suffix maximum at its first position and the prefix maximum at its last, about three
    /// comparisons a position whatever the span. Overwrites `conv` with the prefix maxima.
    func windowMaxima(_ conv: UnsafeMutablePointer<Vector>, positions: Int, count: Int, step: Int,
                      suffix: UnsafeMutablePointer<Vector>, into rows: UnsafeMutablePointer<Vector>) {
        let g = groups
        var blockStart = 0
        while blockStart < positions {
            let blockEnd = min(blockStart &+ span, positions)
            // The running maxima stay in registers: through memory, each step would wait for
            // the store before it.
            for group in 0..<g {
                var q = blockEnd &- 1
                var running = conv[q &* g &+ group]
                suffix[q &* g &+ group] = running
                while q > blockStart {
                    q &-= 1
                    running = FastPath.max(conv[q &* g &+ group], running)
                    suffix[q &* g &+ group] = running
                }
                running = conv[blockStart &* g &+ group]
                q = blockStart &+ 1
                while q < blockEnd {
                    running = FastPath.max(conv[q &* g &+ group], running)
                    conv[q &* g &+ group] = running
                    q &+= 1
                }
            }
            blockStart = blockEnd
        }
        let last = span &- 1
        for i in 0..<count {
            let first = i &* step
            for group in 0..<g {
                rows[i &* g &+ group] = FastPath.max(suffix[first &* g &+ group], conv[(first &+ last) &* g &+ group])
            }
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
        scratch.require(.hidden, count * 16)
        scratch.require(.logits, count)
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
