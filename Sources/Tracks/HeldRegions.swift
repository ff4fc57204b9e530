import GenomeIO
import Significance

/// The regions (or windows) of a scan with statistics, held in a scratch file until the
/// scan's end, when their q-values can be known: each region's q-value depends on every
/// test the scan made.
final class HeldRegions {
    private let file: ScratchFile
    private(set) var count = 0
    /// Applied to each region as it is read back (a scan whose background was made as it
    /// read gives the regions their p-values here).
    var resolve: ((inout Region) -> Void)?

    init() throws(GenomeIOError) { file = try ScratchFile(purpose: "candidate regions") }

    func append(_ region: Region) throws(GenomeIOError) {
        var copy = region
        try withUnsafeBytes(of: &copy) { (bytes) throws(GenomeIOError) in try file.append(bytes) }
        count += 1
    }

    /// Calls `body` with every held region, in the order they were added.
    func forEach(_ body: (Region) throws(GenomeIOError) -> Void) throws(GenomeIOError) {
        try file.rewind()
        let stride = MemoryLayout<Region>.stride
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: stride * 4096, alignment: MemoryLayout<Region>.alignment)
        defer { buffer.deallocate() }
        var filled = 0
        while true {
            let n = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            filled += n
            let whole = filled / stride
            for i in 0..<whole {
                var region = buffer.load(fromByteOffset: i * stride, as: Region.self)
                resolve?(&region)
                try body(region)
            }
            let rest = filled - whole * stride
            if rest > 0, let base = buffer.baseAddress { base.copyMemory(from: base + whole * stride, byteCount: rest) }
            filled = rest
            if n == 0 { break }
        }
    }
}

extension HeldRegions {
    /// Gives each held region its q-value (Benjamini–Hochberg over `tests` tests, ranked
    /// among the held regions) and hands those with q ≤ `maximumQ` to `write`, in order.
    func release(tests: Int, maximumQ: Double?,
                 write: (Region, _ q: Double) throws(GenomeIOError) -> Void) throws(GenomeIOError) -> SignificanceReport {
        var report = SignificanceReport(tests: tests, candidates: count)
        // Only a p-value at most Q · (held) / tests can reach q ≤ Q.
        let cut = maximumQ.map { $0 * Double(count) / Double(max(tests, 1)) } ?? .infinity
        var pValues: [Double] = []
        try forEach { (region) throws(GenomeIOError) in if region.pValue <= cut { pValues.append(region.pValue) } }
        let bh = BenjaminiHochberg(pValues: pValues, tests: tests)
        try forEach { (region) throws(GenomeIOError) in
            guard region.pValue <= cut else { return }
            let q = bh.qValue(region.pValue)
            if let maximumQ, q > maximumQ { return }
            try write(region, q)
            report.written += 1
            report.largestP = max(report.largestP, region.pValue)
        }
        return report
    }
}
