import Significance

/// What a scan with statistics needs to give windows their p-values and cut them.
package struct WindowSignificance: Sendable {
    package let background: GenomeBackground
    /// Windows pass only with p at most this.
    package let maximumP: Double
    /// Windows are merged into regions, each tested once at its best window: the p-value a
    /// window carries into its region is a cluster's (`ClusterTally`), and the cut on
    /// `maximumP` stays a lone window's.
    package let merged: Bool
    /// No window below this probability has p ≤ `maximumP`.
    package let lowestProbability: Float

    package init(background: GenomeBackground, maximumP: Double, merged: Bool) {
        self.background = background
        self.maximumP = maximumP
        self.merged = merged
        lowestProbability = maximumP < 1 ? background.lowestProbability(passing: maximumP) : 0
    }

    /// A window's p-value if it passes the cut (nil if not): its own, or with `merged` the
    /// cluster p-value it gives a region whose best window it is (never larger).
    @inline(__always)
    package func pValue(recordIndex: Int, start: Int, probability: Float) -> Double? {
        let nullClass = background.nullClass(recordIndex: recordIndex, start: start)
        let logit = ScoreBins.logit(probability)
        let own = nullClass.table.pValue(logit: logit)
        guard own <= maximumP else { return nil }
        return merged ? nullClass.clusterTable.pValue(logit: logit) : own
    }
}
