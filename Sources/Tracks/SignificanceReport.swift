import Significance

/// How a scan with statistics ends: the held regions' q-values and the filter on them.
package struct SignificanceReport: Sendable, Equatable {
    /// Windows scored, both strands counted: the tests.
    var tests = 0
    var candidates = 0
    var written = 0
    /// The largest p-value among the written regions.
    var largestP = 0.0

    /// An upper bound on the written regions that background alone would give: the
    /// expected number of background windows at or below the largest written p-value.
    package var expectedFalse: Double { min(Double(tests) * largestP, Double(written)) }
}
