import GenomeIO
import Model

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The scan's progress line on stderr: Mbp done, Mbp/s, and % of the input for files, for
/// the background pass and then the scan.
public final class ProgressLine {
    private var started: ContinuousClock.Instant
    private var lastShown: ContinuousClock.Instant
    private var inBackground = false

    public init(now: ContinuousClock.Instant = .now) {
        (started, lastShown) = (now, now)
    }

    func update(_ progress: ScanProgress) {
        guard var text = text(progress, now: ContinuousClock.now) else { return }
        TemporaryFiles.showsProgressLine(true)
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }

    /// What to show for `progress` at `now`, or nil: at most every half second, and a new
    /// phase (the background pass, then the scan) only once it has run half a second, so
    /// that its rate is never bases over no time.
    public func text(_ progress: ScanProgress, now: ContinuousClock.Instant) -> String? {
        if progress.isBackground != inBackground {
            inBackground = progress.isBackground
            (started, lastShown) = (now, now)
        }
        guard now - lastShown > .milliseconds(500) else { return nil }
        lastShown = now
        let seconds = max(1e-9, (now - started).seconds)
        let megabases = Double(progress.bases) / 1e6
        var text = "\r\(progress.isBackground ? "background: " : "")\(fixed(megabases, 1)) Mbp, \(fixed(megabases / seconds, 1)) Mbp/s"
        if let total = progress.inputTotal, total > 0 { text += ", \(fixed(100 * Double(progress.inputDone) / Double(total), 1))% of input" }
        return text + "   "
    }

    func finish() {
        var text = "\r\u{1B}[K"
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
        TemporaryFiles.showsProgressLine(false)
    }
}
