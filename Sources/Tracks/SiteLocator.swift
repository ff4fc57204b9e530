import Model

/// Gives the best window of each run of passing windows its site (`Network.siteSpans`): a
/// region's best window is one of them, and the site is what the scan's outputs show.
package struct SiteLocator: Sendable {
    let network: Network
    /// Whether the scan merges windows into regions (else every window is a run).
    let merge: Bool

    /// nil when the model does not locate sites.
    package init?(network: Network, merge: Bool) {
        guard network.locatesSites else { return nil }
        (self.network, self.merge) = (network, merge)
    }

    func locate(_ passing: inout PassingWindows, of windows: PieceWindows) {
        passing.forwardSite = Array(repeating: .none, count: passing.windows.count)
        passing.reverseSite = passing.forwardSite
        let runs = passing.runs(origin: windows.origin, step: windows.step, windowLength: windows.windowLength, merge: merge)
        guard !runs.isEmpty else { return }
        let length = windows.windowLength
        /// Where run `run`'s best window's bases start in `windows.bases`.
        func offset(_ run: PassingRun) -> Int { windows.baseOffset + Int(passing.windows[run.bestIndex]) * windows.step }
        func keep(_ site: LocatedSite, for run: PassingRun) {
            if run.reverse { passing.reverseSite[run.bestIndex] = site } else { passing.forwardSite[run.bestIndex] = site }
        }
        if network.locatesSitesByKmer {
            // Windows of a strand that overlap or touch share their k-mers' logits: each
            // stretch of them is read once (in the strand's direction), whatever the windows.
            for reverse in [false, true] {
                let strand = runs.filter { $0.reverse == reverse }
                var first = 0
                while first < strand.count {
                    var last = first
                    while last + 1 < strand.count, offset(strand[last + 1]) <= offset(strand[last]) + length { last += 1 }
                    let begin = offset(strand[first]), end = offset(strand[last]) + length
                    var bases = Array(windows.bases[begin..<end])
                    if reverse { bases = ReverseComplement.of(bases) }
                    let logits = network.kmerLogits(bases[...])
                    let positions = length - (bases.count - logits.count)
                    for run in strand[first...last] {
                        // The window's first k-mer, counted from the stretch's start as read.
                        let at = reverse ? end - offset(run) - length : offset(run) - begin
                        guard let span = network.siteSpan(kmerLogits: logits[at..<(at + positions)]) else { continue }
                        keep(LocatedSite(span: span, windowStart: run.best, windowLength: length, reverse: reverse,
                                         bases: bases[at..<(at + length)]), for: run)
                    }
                    first = last + 1
                }
            }
            return
        }
        let read: [[UInt8]] = runs.map { run in
            let bases = Array(windows.bases[offset(run)..<(offset(run) + length)])
            return run.reverse ? ReverseComplement.of(bases) : bases
        }
        guard let spans = network.siteSpans(for: read) else { return }
        for (index, run) in runs.enumerated() {
            keep(LocatedSite(span: spans[index], windowStart: run.best, windowLength: length, reverse: run.reverse,
                             bases: read[index][...]), for: run)
        }
    }
}
