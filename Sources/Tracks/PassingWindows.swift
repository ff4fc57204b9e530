import Scoring

/// The windows of a piece that pass on a strand: indices into the piece's windows,
/// ascending, with both strands' probabilities (NaN where not scored or not passing),
/// p-values (1 without statistics) and, when the model locates sites, the site of each
/// run's best window (`LocatedSite.none` elsewhere; empty arrays when it does not).
package struct PassingWindows: Sendable {
    package var windows: [Int32] = []
    package var forward: [Float] = []
    package var reverse: [Float] = []
    package var forwardP: [Double] = []
    package var reverseP: [Double] = []
    package var forwardSite: [LocatedSite] = []
    package var reverseSite: [LocatedSite] = []
    /// For a report: the logits of the scored windows (of the whole work item, on its first
    /// piece), and the windows the report may show.
    var histogram: LogitHistogram?
    var captured: [CapturedWindow] = []

    package init() {}

    /// Window `k`'s site on a strand, if it has one.
    package func site(_ k: Int, reverse: Bool) -> LocatedSite {
        let sites = reverse ? reverseSite : forwardSite
        return k < sites.count ? sites[k] : .none
    }
}

/// Passing windows on one strand of a piece that overlap or touch (one window each without
/// merging): what the region writer merges into a region, or, at a piece's ends, into part
/// of one. Its best window is the first of its most probable, as the writer's rule; so the
/// best window of a region is the best window of one of its runs.
struct PassingRun {
    /// Chromosome positions of its first window's start and its last window's end.
    var first: Int
    var end: Int
    /// The best window's start, and its index into the piece's `PassingWindows`.
    var best: Int
    var bestIndex: Int
    var probability: Float
    /// The smallest p-value of its windows.
    var p: Double
    var reverse: Bool
}

extension PassingWindows {
    /// The runs of each strand, + strand first, each in order.
    func runs(origin: Int, step: Int, windowLength: Int, merge: Bool) -> [PassingRun] {
        var runs: [PassingRun] = []
        for strand in 0..<2 {
            var open: PassingRun?
            for k in windows.indices {
                let (p, pValue) = strand == 0 ? (forward[k], forwardP[k]) : (reverse[k], reverseP[k])
                guard !p.isNaN else { continue }
                let start = origin + Int(windows[k]) * step
                if merge, var run = open, start <= run.end {
                    run.end = start + windowLength
                    if p > run.probability { (run.probability, run.best, run.bestIndex) = (p, start, k) }
                    run.p = min(run.p, pValue)
                    open = run
                } else {
                    if let run = open { runs.append(run) }
                    open = PassingRun(first: start, end: start + windowLength, best: start, bestIndex: k, probability: p,
                                      p: pValue, reverse: strand == 1)
                }
            }
            if let run = open { runs.append(run) }
        }
        return runs
    }
}
