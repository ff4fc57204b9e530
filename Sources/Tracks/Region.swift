/// A candidate region: windows on one strand that pass and overlap or touch.
/// Coordinates are 0-based, half-open, on the forward strand.
package struct Region {
    var start: Int
    var end: Int
    var reverse: Bool
    var probability: Float
    /// The start of the window with the highest probability (the first, on ties).
    var bestWindow: Int
    /// The site the model located in that window (`LocatedSite.none` when it does not locate sites).
    var site = LocatedSite.none
    /// The smallest p-value of its windows (1 without statistics), and that window's start
    /// and probability (of windows with that p-value, the most probable, then the first).
    var pValue: Double
    var pValueWindow: Int
    var pValueProbability: Float
    /// The record's number in the scan, and in its background.
    var recordIndex: Int
    var backgroundIndex: Int
    /// With a background made as the scan reads (`RegionWriter.deferringPValues`): the
    /// best window of each block its windows start in, which give the region its p-value
    /// once the background is complete.
    var blocks = BlockBests()

    /// Takes a window's p-value if it is the smallest yet, or as small and of a more
    /// probable window (then the first of those).
    mutating func consider(pValue p: Double, window: Int, probability: Float) {
        guard p < pValue || (p == pValue && probability > pValueProbability) else { return }
        (pValue, pValueWindow, pValueProbability) = (p, window, probability)
    }
}

/// The most probable window (the first, on ties) that starts in one background block.
struct BlockBest {
    var start = -1
    var probability = -Float.infinity
}

/// A region's `BlockBest`s, in block order: almost every region lies in one or two blocks
/// (of 64 kbp); a longer one keeps the blocks between in its writer (`middle`).
struct BlockBests {
    var first = BlockBest()
    var last = BlockBest()
    /// The index of the middle blocks in the writer's list, or −1.
    var middle: Int32 = -1
}
