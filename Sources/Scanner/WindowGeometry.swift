/// Where the windows of a stretch of bases start: every `step`-th chromosome position,
/// `length` bases each, wholly inside the stretch.
struct WindowGeometry: Sendable, Equatable {
    let length: Int
    let step: Int

    /// The offset into a stretch that starts at chromosome position `start` of its first
    /// window: the first multiple of `step` at or after `start`, so that the windows of
    /// consecutive pieces of one record fall on one grid.
    func firstWindow(stretchStart start: Int) -> Int {
        (step - start % step) % step
    }

    /// How many windows fit in `bases` bases from `firstWindow` on.
    func windowCount(bases: Int, firstWindow: Int) -> Int {
        bases - length >= firstWindow ? (bases - length - firstWindow) / step + 1 : 0
    }
}
