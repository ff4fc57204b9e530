/// How far a scan has come, for a progress display.
public struct ScanProgress: Sendable, Equatable {
    /// Bases written so far, over all inputs.
    public var bases: Int
    /// Bytes of the current input consumed so far, and its size when known (a regular file).
    public var inputDone: Int
    public var inputTotal: Int?
    /// True while the background pass reads the input (a scan with statistics reads it twice).
    public var isBackground = false

    package init(bases: Int, inputDone: Int, inputTotal: Int?, isBackground: Bool = false) {
        (self.bases, self.inputDone, self.inputTotal, self.isBackground) = (bases, inputDone, inputTotal, isBackground)
    }
}
