// A ThreadSanitizer driver for the scan pipeline (scripts/tsan-scan.sh builds it against the
// scan's targets, built with ThreadSanitizer too): scans a generated genome with 2 and 3 threads, small chunks (many work
// items in flight), every format and short records; mines on 2 threads; and makes output
// files side by side. Prints "ok" and the line counts; TSan prints any race it sees.
import Dispatch
import GenomeIO
import Model
import Scan
import Scoring
import Tracks
#if canImport(Glibc)
import Glibc
#endif

@main struct Drive {
    static func main() throws {
        var random = MersenneTwister(seed: 5)
        var text = ""
        for (index, length) in [60_000, 130, 49, 5_000, 60, 61, 20_000].enumerated() {
            text += ">r\(index)\n" + String(decoding: (0..<length).map { _ in (random.nextInt(through: 199) == 0 ? UInt8(ascii: "N") : Array("ACGT".utf8)[random.nextInt(through: 3)]) }, as: UTF8.self) + "\n"
        }
        text += ">site\n" + String(repeating: "ACGTTGCAAAAGAGGAAGTTCCGATTGCAT", count: 40) + "\n"
        for _ in 0..<300 { text += ">s\n" + String(decoding: (0..<70).map { _ in Array("ACGT".utf8)[random.nextInt(through: 3)] }, as: UTF8.self) + "\n" }
        let path = "genome.fa"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        _ = text.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
        close(fd)
        let network = try Network.builtin()
        var outputs: [String: Int] = [:]
        for format in OutputFormat.allCases {
            for threads in [2, 3] {
                for chunk in [97, 1000, 1 << 18] {
                    var scoring = ScoringOptions()
                    scoring.threads = threads
                    scoring.chunkBases = chunk
                    var output = OutputOptions()
                    output.format = format
                    output.threshold = 0.2
                    let file = try OutputFile(path: "out.txt")
                    let summary = try GenomeScan(network: network, scoring: scoring, output: output).run(inputs: [path], output: file) { _ in }
                    try file.commit()
                    outputs["\(format)", default: summary.linesWritten] = summary.linesWritten
                    if outputs["\(format)"] != summary.linesWritten { print("MISMATCH \(format) \(threads) \(chunk)") }
                }
            }
        }
        // Mining's threads too.
        let finder = ScanHitFinder(network: network)
        let miner = HardNegativeMiner(sampler: BackgroundSampler(model: BackgroundModel(fittingTo: [Array("ACGTACGTAAGGCCTT".utf8)]), lowComplexityRate: 0.01),
                                      bases: 400_000, threshold: 0.03, maximumAdded: 100, spacing: 4, labelledSites: nil)
        var generator = MersenneTwister(seed: 1)
        let (windows, _) = miner.mine(finder: finder, windowLength: 50, threads: 2, random: &generator)
        // Output files made side by side register their temporary files concurrently.
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            for round in 0..<50 {
                guard let file = try? OutputFile(path: "o\(i).txt") else { continue }
                try? file.write("\(round)\n")
                try? file.commit()
            }
        }
        print("ok", outputs, windows.count)
    }
}
