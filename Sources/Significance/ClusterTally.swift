/// Decoy clusters tallied by score bin: how often a run of decoy windows that a scan would
/// merge into one region rises to each score.
///
/// Where a window holds a site, so do its neighbours: a position-invariant model gives
/// every window that holds a site the site's score, so high-scoring windows, real or decoy,
/// come in runs of up to a window's length. A region's best window is one test, not one
/// of ~50: its p-value is the chance that a window position *starts* a run at least as
/// high, counted on the decoys as the scan merges windows.
///
/// For a level s, a decoy window starts a cluster when it scores at least s and none of
/// the `lookback` windows before it (those it would merge with) does. The clusters at each
/// level are counted for all levels at once: a window with score bin x whose predecessors'
/// highest bin is m < x starts a cluster at every level in (m, x], so it adds +1 at x and −1
/// at m; the count at level k is the sum from k up. Signed counts keep tallies additive, so
/// blocks and shards add up in any order.
public struct ClusterTally: Sendable, Equatable {
    public private(set) var counts: [Int64]
    /// Decoy windows the clusters were counted on (the rate's denominator).
    public private(set) var windows: UInt64 = 0

    public init() { counts = [Int64](repeating: 0, count: ScoreBins.count) }

    /// Counts the clusters of one strand's run of consecutive decoy windows (their score
    /// bins, at step 1) as a scan at `step` would merge them: windows `step` apart, merged
    /// with any of the `lookback` windows before them (at `step`, 2·`step`, …).
    public mutating func add(bins: UnsafeBufferPointer<Int32>, step: Int, lookback: Int) {
        let n = bins.count
        guard n > 0, step > 0 else { return }
        windows &+= UInt64(n)
        // A sliding maximum of the `lookback` windows before each one, per residue class of
        // the step: a deque of positions whose bins fall from front to back.
        let queue = UnsafeMutablePointer<Int>.allocate(capacity: n / step + 1)
        defer { queue.deallocate() }
        for first in 0..<min(step, n) {
            var head = 0, tail = 0, t = 0
            var i = first
            while i < n {
                while head < tail && queue[head] < t - lookback { head += 1 }
                let x = Int(bins[i])
                let m = head < tail ? Int(bins[first + queue[head] * step]) : -1
                if x > m {
                    counts[x] &+= 1
                    if m >= 0 { counts[m] &-= 1 }
                }
                while head < tail && Int(bins[first + queue[tail - 1] * step]) <= x { tail -= 1 }
                queue[tail] = t
                tail += 1
                i += step
                t += 1
            }
        }
    }

    public mutating func add(_ other: ClusterTally) {
        for k in 0..<ScoreBins.count { counts[k] &+= other.counts[k] }
        windows &+= other.windows
    }

    /// Sets one bin's count and the windows (for a tally read back from a file); false for
    /// a bin out of range.
    @discardableResult
    public mutating func set(bin: Int, count: Int64) -> Bool {
        guard counts.indices.contains(bin) else { return false }
        counts[bin] = count
        return true
    }

    public mutating func set(windows: UInt64) { self.windows = windows }

    /// Clusters that reach bin k or above, for each k: the signed counts summed from the
    /// top, held from falling as k rises (a wiggling run can cross a middle level more
    /// often than a low one; the count at a level is at least any above it), so p-values
    /// never rise with the score.
    public var reaching: [Int64] {
        var reaching = [Int64](repeating: 0, count: ScoreBins.count + 1)
        var sum: Int64 = 0, held: Int64 = 0
        for k in stride(from: ScoreBins.count - 1, through: 0, by: -1) {
            sum &+= counts[k]
            held = max(held, sum)
            reaching[k] = held
        }
        return reaching
    }

    /// P-values of a region's best window: the clusters' rate per decoy window at or above
    /// its score. Bin k holds the clusters that reach k but not k + 1 (their peaks), so
    /// the tail is fitted to the highest peaks.
    public var table: PValueTable {
        let reaching = reaching
        var peaks = [UInt64](repeating: 0, count: ScoreBins.count)
        for k in 0..<ScoreBins.count where reaching[k] > reaching[k + 1] { peaks[k] = UInt64(reaching[k] - reaching[k + 1]) }
        return PValueTable(counts: peaks, decoys: windows)
    }
}
