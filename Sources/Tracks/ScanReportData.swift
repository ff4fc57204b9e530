import Scoring

/// One of the report's top regions: where it is, its numbers, and its best window as the
/// model read it (reverse-complemented on the − strand).
public struct ReportedRegion: Sendable {
    public let chromosome: String
    public let start: Int, end: Int
    public let reverse: Bool
    public let probability: Float
    public let bestWindow: Int
    /// Nil without statistics.
    public let pValue: Double?
    public internal(set) var qValue: Double?
    public let window: [UInt8]?
    let recordIndex: Int
    /// Whether it was written (it passed the q-value cut, when there is one).
    var isWritten = false
}

/// What `scan --report` shows, gathered as the scan ran.
public struct ScanReportData: Sendable {
    /// Every scored window of the genome (both strands when both are scored).
    public let genome: LogitHistogram
    /// The background's decoy windows, with statistics.
    public let background: LogitHistogram?
    /// The tests (windows scored) and the regions (windows with --no-merge) that passed the
    /// probability and p-value cuts, before any q-value cut.
    public let tests: Int
    public let candidates: Int
    /// Their q-values, ascending (with statistics).
    public let qValues: [Double]
    /// Each record: its name, length, and the written calls per 100-bp bin of their best
    /// window's centre, as (bin, calls) ascending.
    public let records: [(name: String, length: Int, calls: [(bin: Int, count: Int)])]
    public static let callBin = 100
    /// The best written regions, best first: smallest p-value, then highest probability.
    public let top: [ReportedRegion]
    public let written: Int

    /// How many candidates have q ≤ `level`.
    public func regions(atMostQ level: Double) -> Int {
        var low = 0, high = qValues.count
        while low < high {
            let mid = (low + high) / 2
            if qValues[mid] <= level { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
