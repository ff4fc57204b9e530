/// Where in a window the model sees its site.
public struct SiteSpan: Sendable, Equatable {
    /// The site's first base in the window as the model read it (a − strand window reverse-
    /// complemented), and its length: the bases one output of the first convolution sees.
    public var offset: Int
    public var length: Int
    /// What chose it (see `Network.siteSpans`): with one pool over the window, the logit of
    /// that convolution output alone; with several pools, how far the logit falls when it is
    /// left out of its pool.
    public var evidence: Float

    public init(offset: Int, length: Int, evidence: Float) {
        (self.offset, self.length, self.evidence) = (offset, length, evidence)
    }
}

extension Network {
    /// Whether `siteSpans` can locate sites: the first layer is a convolution and the second
    /// a max pool over at least two of its outputs, as in every architecture annotate trains.
    public var locatesSites: Bool {
        guard layers.count > 2, case .conv1d = layers[0], case let .maxPool1d(poolSize) = layers[1] else { return false }
        return poolSize >= 2 && shapes[1].length >= poolSize
    }

    /// The site in each window (of `inputLength` bases, as the model reads them): the bases
    /// one output position of the first convolution sees, at the position the model's own
    /// layers point to. nil for a network that does not locate sites (`locatesSites`).
    ///
    /// - One pool over the whole window (the `global` architecture, position-invariant): the
    ///   position whose outputs alone, as the pool's values, give the highest logit: the
    ///   k-mer the model reads as most like a site. A site held twice gives its first copy.
    /// - Several pools (`seed`, `deep`: position-specific layers after them): the position
    ///   whose removal from its pool (as if its values were −∞) lowers the logit most; ties
    ///   go to the position holding the most of the pools' maxima, then to the first.
    ///
    /// Exact for the network's own arithmetic, and cheap: one convolution, then the layers
    /// after the pool once per position (per position holding a pool's maximum, with
    /// several pools: the others change nothing), for each window.
    public func siteSpans(for windows: [[UInt8]]) -> [SiteSpan]? {
        guard locatesSites, case let .conv1d(filters, kernelSize, padding, _) = layers[0],
              case let .maxPool1d(poolSize) = layers[1] else { return nil }
        if locatesSitesByKmer {
            return windows.map { siteSpan(kmerLogits: kmerLogits($0[...])[...]) ?? SiteSpan(offset: 0, length: 0, evidence: -.infinity) }
        }
        let positions = shapes[1].length, pools = positions / poolSize
        let padLeft = padding == .valid ? 0 : (kernelSize - 1) / 2
        var ablated = Workspace(network: self, capacity: max(positions, pools * poolSize + 1))
        var noRandom: MersenneTwister? = nil
        let rest = 2..<layers.count
        var outputs = [Float](repeating: 0, count: positions * filters)
        return windows.map { window in
            convolution(window.map { Int(Nucleotide.code[Int($0)]) }[...], positions: positions, padLeft: padLeft, into: &outputs)
            var chosen = 0, evidence = -Float.infinity
            if pools == 1 {
                // One pool, but not over every output of a `valid` convolution (`global` reads
                // its k-mers through `kmerLogits`). Row t: position t's outputs alone.
                ablated.activations[2].withUnsafeMutableBufferPointer { rows in
                    for i in 0..<poolSize * filters { rows[i] = outputs[i] }
                }
                forward(&ablated, batch: poolSize, random: &noRandom, layers: rest, activatingLast: false)
                (chosen, evidence) = Network.firstLargest(logitsOfLastPass(ablated, batch: poolSize)[...])
            } else {
                (chosen, evidence) = leftOutOfPools(outputs, positions: positions, pools: pools, poolSize: poolSize, filters: filters,
                                                    workspace: &ablated)
            }
            let first = max(0, chosen - padLeft), end = min(inputLength, chosen - padLeft + kernelSize)
            return SiteSpan(offset: first, length: end - first, evidence: evidence)
        }
    }

    /// Whether the site in a window depends only on the logits of its k-mers alone (one pool
    /// over every output of a `valid` convolution: `global`), so that the windows of a
    /// stretch can share them (`kmerLogits`, `siteSpan(kmerLogits:)`).
    public var locatesSitesByKmer: Bool {
        guard locatesSites, case let .conv1d(_, _, padding, _) = layers[0], case let .maxPool1d(poolSize) = layers[1] else { return false }
        return padding == .valid && poolSize == shapes[1].length
    }

    /// With `locatesSitesByKmer`: the logit of each k-mer of `bases` (as read, k the first
    /// convolution's width) with its outputs alone as the pool's values; bases.count − k + 1
    /// values. `siteSpans` reads a window's site from these, so a window's site is the same
    /// whether it is read alone or from a stretch that holds it.
    public func kmerLogits(_ bases: ArraySlice<UInt8>) -> [Float] {
        guard locatesSitesByKmer, case let .conv1d(_, kernelSize, _, _) = layers[0], bases.count >= kernelSize else { return [] }
        let count = bases.count - kernelSize + 1, codes = bases.map { Int(Nucleotide.code[Int($0)]) }
        var workspace = Workspace(network: self, capacity: min(count, 1024))
        var noRandom: MersenneTwister? = nil
        var logits: [Float] = []
        logits.reserveCapacity(count)
        var first = 0
        while first < count {
            let n = min(workspace.capacity, count - first)
            convolution(codes[first..<(first + n + kernelSize - 1)], positions: n, padLeft: 0, into: &workspace.activations[2])
            forward(&workspace, batch: n, random: &noRandom, layers: 2..<layers.count, activatingLast: false)
            logits += logitsOfLastPass(workspace, batch: n)
            first += n
        }
        return logits
    }

    /// The first convolution's outputs (activated) at `positions` positions of `codes`
    /// (ACGT 0–3, anything else contributing nothing, as a one-hot row of zeros), position t
    /// seeing codes t − padLeft … t − padLeft + k − 1, into the first positions × filters
    /// values of `outputs`: the bias, then each tap's weight in order, as the layer's own pass.
    func convolution(_ codes: ArraySlice<Int>, positions: Int, padLeft: Int, into outputs: inout [Float]) {
        guard case let .conv1d(filters, kernelSize, _, activation) = layers[0], let ranges = weightRanges(layer: 0) else { return }
        parameters.withUnsafeBufferPointer { weights in
            outputs.withUnsafeMutableBufferPointer { rows in
                for t in 0..<positions {
                    let row = t * filters
                    // Sixteen filters at a time where they come in sixteens, then one at a
                    // time: each lane adds the same values in the same order, so the sums are
                    // the scalar loop's.
                    let vectorised = filters - filters % 16
                    for j in stride(from: 0, to: vectorised, by: 16) {
                        var sum = SIMD16<Float>.load(weights, at: ranges.bias.lowerBound + j)
                        for k in 0..<kernelSize {
                            guard let code = Network.code(codes, at: t - padLeft + k) else { continue }
                            sum += SIMD16<Float>.load(weights, at: ranges.kernel.lowerBound + (k * 4 + code) * filters + j)
                        }
                        sum.store(into: rows, at: row + j)
                    }
                    guard vectorised < filters else { continue }
                    for j in vectorised..<filters { rows[row + j] = weights[ranges.bias.lowerBound + j] }
                    for k in 0..<kernelSize {
                        guard let code = Network.code(codes, at: t - padLeft + k) else { continue }
                        let w = ranges.kernel.lowerBound + (k * 4 + code) * filters
                        for j in vectorised..<filters { rows[row + j] += weights[w + j] }
                    }
                }
                activation.forward(.init(rebasing: rows[0..<(positions * filters)]), rows: positions, width: filters)
            }
        }
    }

    /// The ACGT code (0–3) at offset `at` of `codes`, or nil off its ends or for another byte.
    @inline(__always)
    private static func code(_ codes: ArraySlice<Int>, at: Int) -> Int? {
        guard at >= 0, at < codes.count else { return nil }
        let code = codes[codes.startIndex + at]
        return code < 4 ? code : nil
    }

    /// The site of a window from its k-mers' logits (`kmerLogits`, the window's positions
    /// only): the first of the highest.
    public func siteSpan(kmerLogits: ArraySlice<Float>) -> SiteSpan? {
        guard case let .conv1d(_, kernelSize, _, _)? = layers.first, !kmerLogits.isEmpty else { return nil }
        let (chosen, evidence) = Network.firstLargest(kmerLogits)
        return SiteSpan(offset: chosen, length: kernelSize, evidence: evidence)
    }

    /// The offset (from the slice's start) of the first largest value, and the value.
    static func firstLargest(_ values: ArraySlice<Float>) -> (Int, Float) {
        var chosen = 0, largest = -Float.infinity
        for (t, value) in values.enumerated() where value > largest { (chosen, largest) = (t, value) }
        return (chosen, largest)
    }

    /// With several pools: the position whose removal from its pool lowers the logit most
    /// (ties: the one holding most pools' maxima, then the first), and by how much.
    private func leftOutOfPools(_ outputs: [Float], positions: Int, pools: Int, poolSize: Int, filters: Int,
                                workspace ablated: inout Workspace) -> (position: Int, drop: Float) {
        var noRandom: MersenneTwister? = nil
        // Each pool's maximum per filter, the first position holding it, and the next
        // largest value (what the pool gives when that position is left out). A position
        // that holds no maximum changes nothing: its logit falls by exactly 0.
        var largest = [Float](repeating: 0, count: pools * filters), runnerUp = largest
        var holder = [Int](repeating: 0, count: pools * filters)
        var held = [Int](repeating: 0, count: positions)
        for pool in 0..<pools {
            for j in 0..<filters {
                var best = pool * poolSize, first = -Float.infinity, second = -Float.infinity
                for t in (pool * poolSize)..<((pool + 1) * poolSize) {
                    let value = outputs[t * filters + j]
                    if value > first {
                        (second, first, best) = (first, value, t)
                    } else if value > second {
                        second = value
                    }
                }
                (largest[pool * filters + j], runnerUp[pool * filters + j], holder[pool * filters + j]) = (first, second, best)
                held[best] += 1
            }
        }
        let holders = (0..<positions).filter { held[$0] > 0 }
        let width = pools * filters
        // Row 0 is the window's pooled values; row 1 + r leaves out the r-th holder.
        if layers.count > 4, case .flatten = layers[2], case let .dense(units, activation) = layers[3],
           let dense = weightRanges(layer: 3) {
            // The dense layer after the pool is linear in what it reads, and leaving a position
            // out changes only the entries it holds: z = z₀ + Σ (runner-up − maximum) · W[i, :]
            // over those entries, instead of every entry of every row.
            // The entries each position holds, in order: a counting sort of `holder`.
            var firsts = [Int](repeating: 0, count: positions + 1)
            for i in 0..<width { firsts[holder[i] + 1] += 1 }
            for t in 0..<positions { firsts[t + 1] += firsts[t] }
            var changed = [Int](repeating: 0, count: width), next = firsts
            for i in 0..<width {
                changed[next[holder[i]]] = i
                next[holder[i]] += 1
            }
            parameters.withUnsafeBufferPointer { weights in
                ablated.activations[4].withUnsafeMutableBufferPointer { rows in
                    Network.leftOutRows(rows, weights: weights, kernel: dense.kernel.lowerBound, bias: dense.bias.lowerBound,
                                        units: units, largest: largest, runnerUp: runnerUp, holders: holders,
                                        changed: changed, firsts: firsts)
                    activation.forward(.init(rebasing: rows[0..<((holders.count + 1) * units)]), rows: holders.count + 1, width: units)
                }
            }
            forward(&ablated, batch: holders.count + 1, random: &noRandom, layers: 4..<layers.count, activatingLast: false)
        } else {
            ablated.activations[2].withUnsafeMutableBufferPointer { rows in
                for i in 0..<width { rows[i] = largest[i] }
                for (r, t) in holders.enumerated() {
                    let base = (r + 1) * width
                    for i in 0..<width { rows[base + i] = holder[i] == t ? runnerUp[i] : largest[i] }
                }
            }
            forward(&ablated, batch: holders.count + 1, random: &noRandom, layers: 2..<layers.count, activatingLast: false)
        }
        let logits = logitsOfLastPass(ablated, batch: holders.count + 1)
        // Positions holding no maximum fall by 0; the first of them stands for all.
        var chosen = (0..<positions).first { held[$0] == 0 } ?? 0, chosenDrop: Float = held[chosen] == 0 ? 0 : -.infinity
        for (r, t) in holders.enumerated() {
            let drop = logits[0] - logits[1 + r]
            if drop > chosenDrop || (drop == chosenDrop && (held[t] > held[chosen] || (held[t] == held[chosen] && t < chosen))) {
                (chosen, chosenDrop) = (t, drop)
            }
        }
        return (chosen, chosenDrop)
    }

    /// The dense layer after the pools, before its activation: row 0 for the window's pooled
    /// values, row 1 + r for them with holder r's entries at their runner-up values.
    private static func leftOutRows(
        _ rows: UnsafeMutableBufferPointer<Float>, weights: UnsafeBufferPointer<Float>, kernel: Int, bias: Int, units: Int,
        largest: [Float], runnerUp: [Float], holders: [Int], changed: [Int], firsts: [Int]
    ) {
        let width = largest.count
        if units == 16 {
            // One lane per unit: the same products added in the same order as below.
            var z = SIMD16<Float>.load(weights, at: bias)
            for i in 0..<width {
                z += SIMD16(repeating: largest[i]) * SIMD16<Float>.load(weights, at: kernel + i * 16)
            }
            z.store(into: rows, at: 0)
            for (r, t) in holders.enumerated() {
                var row = z
                for i in changed[firsts[t]..<firsts[t + 1]] {
                    row += SIMD16(repeating: runnerUp[i] - largest[i])
                        * SIMD16<Float>.load(weights, at: kernel + i * 16)
                }
                row.store(into: rows, at: (r + 1) * 16)
            }
        } else {
            for u in 0..<units { rows[u] = weights[bias + u] }
            for i in 0..<width {
                let w = kernel + i * units
                for u in 0..<units { rows[u] += largest[i] * weights[w + u] }
            }
            for (r, t) in holders.enumerated() {
                let row = (r + 1) * units
                for u in 0..<units { rows[row + u] = rows[u] }
                for i in changed[firsts[t]..<firsts[t + 1]] {
                    let w = kernel + i * units, delta = runnerUp[i] - largest[i]
                    for u in 0..<units { rows[row + u] += delta * weights[w + u] }
                }
            }
        }
    }

    /// The logit of each of the first `batch` samples after a pass that left the last layer
    /// unactivated: the sigmoid's input, or for a two-class softmax the difference of its inputs.
    private func logitsOfLastPass(_ workspace: Workspace, batch: Int) -> [Float] {
        let units = outputUnits, output = workspace.output
        return (0..<batch).map { row in
            units == 1 ? output[row] : output[row * units + units - 1] - output[row * units + units - 2]
        }
    }
}

extension SIMD16<Float> {
    /// Sixteen values of `buffer` from `index` on (the caller keeps them in bounds).
    @inline(__always)
    static func load(_ buffer: UnsafeBufferPointer<Float>, at index: Int) -> SIMD16<Float> {
        precondition(index >= 0 && index + 16 <= buffer.count)
        return UnsafeRawPointer(buffer.baseAddress.unsafelyUnwrapped + index).loadUnaligned(as: SIMD16<Float>.self)
    }

    /// Writes the sixteen values into `buffer` from `index` on.
    @inline(__always)
    func store(into buffer: UnsafeMutableBufferPointer<Float>, at index: Int) {
        precondition(index >= 0 && index + 16 <= buffer.count)
        UnsafeMutableRawPointer(buffer.baseAddress.unsafelyUnwrapped + index).storeBytes(of: self, as: SIMD16<Float>.self)
    }
}
