import GenomeIO
import Model

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The scan's progress line on stderr: Mbp done, Mbp/s, and % of the input for files, for
/// the background pass and then the scan.
final class ProgressLine {
    private var started = ContinuousClock.now
    private var lastShown = ContinuousClock.now
    private var inBackground = false

    func update(_ progress: ScanProgress) {
        let now = ContinuousClock.now
        if progress.isBackground != inBackground {
            inBackground = progress.isBackground
            // A new phase: its rate is shown once it has run long enough to mean something.
            (started, lastShown) = (now, now)
        }
        guard now - lastShown > .milliseconds(500) else { return }
        lastShown = now
        let seconds = max(1e-9, (now - started).seconds)
        let megabases = Double(progress.bases) / 1e6
        var text = "\r\(progress.isBackground ? "background: " : "")\(fixed(megabases, 1)) Mbp, \(fixed(megabases / seconds, 1)) Mbp/s"
        if let total = progress.inputTotal, total > 0 { text += ", \(fixed(100 * Double(progress.inputDone) / Double(total), 1))% of input" }
        text += "   "
        TemporaryFiles.showsProgressLine(true)
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }

    func finish() {
        var text = "\r\u{1B}[K"
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
        TemporaryFiles.showsProgressLine(false)
    }
}
