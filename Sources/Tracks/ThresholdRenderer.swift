import Background
import Scoring

/// Keeps a piece's windows that pass on either strand: probability at or above the
/// threshold and, with statistics, p-value at most the cut (`WindowSignificance`).
package struct ThresholdRenderer: PieceRenderer {
    let threshold: Float
    let significance: WindowSignificance?
    /// Set for a scan report.
    let report: ReportCapture?
    /// Set when the outputs show the site in each region's best window.
    package let sites: SiteLocator?

    package init(threshold: Float, significance: WindowSignificance? = nil, sites: SiteLocator? = nil) {
        self.init(threshold: threshold, significance: significance, report: nil, sites: sites)
    }

    init(threshold: Float, significance: WindowSignificance?, report: ReportCapture?, sites: SiteLocator?) {
        // A window below the lowest probability any class passes needs no p-value.
        self.threshold = max(threshold, significance?.lowestProbability ?? 0)
        self.significance = significance
        self.report = report
        self.sites = sites
    }

    package var precision: ScoringPrecision { ScoringPrecision(threshold: threshold, approximateBelow: false, tallyLogits: report != nil) }

    package func render(_ windows: PieceWindows) -> PassingWindows {
        var passing = PassingWindows()
        for k in 0..<windows.count {
            var (scorable, forward, reverse) = windows.window(k)
            guard scorable, forward >= threshold || reverse >= threshold else { continue }
            var forwardP = 1.0, reverseP = 1.0
            if !(forward >= threshold) { forward = .nan }
            if !(reverse >= threshold) { reverse = .nan }
            if let significance {
                let start = windows.origin + k * windows.step
                if !forward.isNaN {
                    if let p = significance.pValue(recordIndex: windows.backgroundIndex, start: start, probability: forward) {
                        forwardP = p
                    } else {
                        forward = .nan
                    }
                }
                if !reverse.isNaN {
                    if let p = significance.pValue(recordIndex: windows.backgroundIndex, start: start, probability: reverse) {
                        reverseP = p
                    } else {
                        reverse = .nan
                    }
                }
                if forward.isNaN && reverse.isNaN { continue }
            }
            passing.windows.append(Int32(k))
            passing.forward.append(forward)
            passing.reverse.append(reverse)
            passing.forwardP.append(forwardP)
            passing.reverseP.append(reverseP)
        }
        sites?.locate(&passing, of: windows)
        if let report {
            passing.histogram = windows.histogram
            passing.captured = report.capture(passing, of: windows)
        }
        return passing
    }
}
