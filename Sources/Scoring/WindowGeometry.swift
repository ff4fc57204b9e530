/// Where the windows of a stretch of bases start: every `step`-th chromosome position,
/// `length` bases each, wholly inside the stretch.
package struct WindowGeometry: Sendable, Equatable {
    package let length: Int
    package let step: Int

    package init(length: Int, step: Int) {
        (self.length, self.step) = (length, step)
    }

    /// The offset into a stretch that starts at chromosome position `start` of its first
    /// window: the first multiple of `step` at or after `start`, so that the windows of
    /// consecutive pieces of one record fall on one grid.
    package func firstWindow(stretchStart start: Int) -> Int {
        (step - start % step) % step
    }

    /// How many windows fit in `bases` bases from `firstWindow` on.
    package func windowCount(bases: Int, firstWindow: Int) -> Int {
        bases - length >= firstWindow ? (bases - length - firstWindow) / step + 1 : 0
    }
}
