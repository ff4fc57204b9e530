import Model
import Significance

/// G+C bins grouped into classes: runs of adjacent bins, lowest G+C first, each closed once
/// it has `GenomeBackground.classDecoys` decoy windows; a last, short run joins the one
/// before. A bin without blocks goes with the nearest run (the lower one on a tie).
struct NullClassRuns {
    private(set) var runs: [[Int]] = []
    private(set) var classOfBin: [UInt8]

    init(windows: [Int], present: [Bool]) {
        var current: [Int] = [], count = 0
        for bin in windows.indices where present[bin] || windows[bin] > 0 {
            current.append(bin)
            count += windows[bin]
            if count >= GenomeBackground.classDecoys {
                runs.append(current)
                current = []
                count = 0
            }
        }
        if !current.isEmpty {
            if runs.isEmpty { runs.append(current) } else { runs[runs.count - 1] += current }
        }
        if runs.isEmpty { runs = [[windows.count / 2]] }
        let runs = runs
        classOfBin = windows.indices.map { bin in
            let distance = runs.map { run in run.map { abs($0 - bin) }.min() ?? .max }
            return UInt8(distance.indices.min { distance[$0] < distance[$1] } ?? 0)
        }
    }
}
