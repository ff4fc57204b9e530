/// A candidate region: windows on one strand that pass and overlap or touch.
/// Coordinates are 0-based, half-open, on the forward strand.
package struct Region {
    var start: Int
    var end: Int
    var reverse: Bool
    var probability: Float
    /// The start of the window with the highest probability (the first, on ties).
    var bestWindow: Int
    /// The smallest p-value of its windows (1 without statistics), and that window's start
    /// and probability.
    var pValue: Double
    var pValueWindow: Int
    var pValueProbability: Float
    /// The record's number in the scan, and in its background.
    var recordIndex: Int
    var backgroundIndex: Int
}
