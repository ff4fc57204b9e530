/// What a scan with statistics needs to give windows their p-values and cut them.
package struct WindowSignificance: Sendable {
    package let background: GenomeBackground
    /// Windows pass only with p at most this.
    package let maximumP: Double
    /// No window below this probability has p ≤ `maximumP`.
    package let lowestProbability: Float

    package init(background: GenomeBackground, maximumP: Double) {
        self.background = background
        self.maximumP = maximumP
        lowestProbability = maximumP < 1 ? background.lowestProbability(passing: maximumP) : 0
    }
}
