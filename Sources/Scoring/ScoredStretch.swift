import Model

/// Every `step`-th window of one stretch of bases, scored: which windows could be scored
/// (only A, C, G and T, and no lowercase base when soft-masked bases are skipped) and both
/// strands' probabilities (NaN where a window or strand is not scored).
///
/// A window's value depends on its own bases only, not on the stretch around it, so
/// stretches of any size and content give the same bytes.
package struct ScoredStretch {
    let geometry: WindowGeometry
    /// The offset of window 0 into the stretch.
    let firstWindow: Int
    package let windows: Int
    package private(set) var scorable: [Bool]
    package private(set) var forward: [Float]
    package private(set) var reverse: [Float]
    /// With `precision.tallyLogits`: the scored windows' logits.
    package private(set) var histogram: LogitHistogram?

    package init(bases: UnsafeBufferPointer<UInt8>, geometry: WindowGeometry, firstWindow: Int, scorer: any WindowScorer,
         strands: StrandChoice, skipSoftMasked: Bool, precision: ScoringPrecision) {
        self.geometry = geometry
        self.firstWindow = firstWindow
        let windows = geometry.windowCount(bases: bases.count, firstWindow: firstWindow)
        self.windows = windows
        var codes = [UInt8](repeating: 4, count: bases.count)
        scorable = codes.withUnsafeMutableBufferPointer { codes in
            ScoredStretch.encode(bases, into: codes, geometry: geometry, firstWindow: firstWindow, windows: windows,
                                 skipSoftMasked: skipSoftMasked)
        }
        forward = []
        reverse = []
        codes.withUnsafeBufferPointer { score($0, scorer: scorer, strands: strands, precision: precision) }
    }

    /// Every window of bases already encoded (`codes`, each 0–3, so every window is
    /// scorable), scored at `geometry`'s step from the first base.
    package init(codes: UnsafeBufferPointer<UInt8>, geometry: WindowGeometry, scorer: any WindowScorer, strands: StrandChoice,
                 precision: ScoringPrecision) {
        self.geometry = geometry
        firstWindow = 0
        windows = geometry.windowCount(bases: codes.count, firstWindow: 0)
        scorable = [Bool](repeating: true, count: windows)
        forward = []
        reverse = []
        score(codes, scorer: scorer, strands: strands, precision: precision)
    }

    private mutating func score(_ codes: UnsafeBufferPointer<UInt8>, scorer: any WindowScorer, strands: StrandChoice,
                                precision: ScoringPrecision) {
        let (geometry, firstWindow, windows) = (geometry, firstWindow, windows)
        forward = [Float](repeating: .nan, count: windows)
        reverse = [Float](repeating: .nan, count: windows)
        guard windows > 0 else { return }
        var tally = precision.tallyLogits ? LogitHistogram() : nil
        scorable.withUnsafeBufferPointer { scorable in
        forward.withUnsafeMutableBufferPointer { forward in
        reverse.withUnsafeMutableBufferPointer { reverse in
            func score(_ counts: UnsafeMutablePointer<UInt64>?) {
                scorer.score(codes: codes, firstWindow: firstWindow, step: geometry.step, windows: windows, scorable: scorable,
                             strands: strands, precision: precision, forward: forward, reverse: reverse, tally: counts)
            }
            if tally == nil { score(nil) } else { tally?.withCounts(score) }
        }
        }
        }
        histogram = tally
    }

    /// Encodes the bases the windows read into `codes` (`Nucleotide.code`: 0–3, 4 for
    /// anything else) and returns which windows are scorable: window w (bases s ..< s + L)
    /// is, when the last unscorable base seen by its end lies before s.
    private static func encode(_ bases: UnsafeBufferPointer<UInt8>, into codes: UnsafeMutableBufferPointer<UInt8>,
                               geometry: WindowGeometry, firstWindow: Int, windows: Int, skipSoftMasked: Bool) -> [Bool] {
        guard windows > 0 else { return [] }
        let length = geometry.length, step = geometry.step
        // `flags` notes whether any base is not ACGT (code 4) or, when those are skipped,
        // soft-masked (bit 3: the FASTA reader passes letters only, and 0x20 marks lowercase).
        var flags: UInt8 = 0
        let softMask: UInt8 = skipSoftMasked ? 0x20 : 0
        Nucleotide.code.withUnsafeBufferPointer { table in
            func encode(_ range: Range<Int>) {
                for i in range {
                    let byte = bases[i]
                    let c = table[Int(byte)]
                    codes[i] = c
                    flags |= c | (byte & softMask) >> 2
                }
            }
            if step >= length {
                for w in 0..<windows { encode((firstWindow + w * step)..<(firstWindow + w * step + length)) }
            } else {
                encode(firstWindow..<(firstWindow + (windows - 1) * step + length))
            }
        }
        guard flags & 0b1100 != 0 else { return [Bool](repeating: true, count: windows) }
        var scorable = [Bool](repeating: false, count: windows)
        var lastBad = -1, w = 0, windowEnd = firstWindow + length - 1
        for i in firstWindow..<bases.count {
            if codes[i] > 3 || (skipSoftMasked && bases[i] >= UInt8(ascii: "a")) { lastBad = i }
            if i == windowEnd {
                scorable[w] = lastBad < windowEnd + 1 - length
                w += 1
                if w == windows { break }
                windowEnd += step
            }
        }
        return scorable
    }
}
