import Background
import Tracks

/// What a scan read and wrote.
public struct ScanSummary: Sendable, Equatable {
    public var records = 0
    public var bases = 0
    public var windowsScored = 0
    public var linesWritten = 0
    /// The longest record's length.
    public var longestRecord = 0
    /// With statistics: the decoy windows scored, and an upper bound on the written lines
    /// that background alone would give.
    public var decoyWindows: Int?
    public var expectedFalse: Double?

    public var description: String {
        var text = "\(records) records, \(bases) bases, \(windowsScored) windows scored, \(linesWritten) lines written"
        if let decoyWindows, let expectedFalse {
            text += "; at most \(ScanSummary.twoDecimals(expectedFalse)) of them expected from background (\(decoyWindows) decoy windows scored)"
        }
        return text
    }

    /// A non-negative value with 2 decimals.
    static func twoDecimals(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

extension ScanSummary {
    /// With statistics: the decoys scored, and how many written lines background alone would give.
    mutating func note(_ report: SignificanceReport?, background: GenomeBackground?) {
        guard let report, let background else { return }
        decoyWindows = background.decoyWindows
        expectedFalse = report.expectedFalse
    }
}
