/// Which strands a scan scores.
public enum StrandChoice: String, Sendable, CaseIterable {
    case both
    case forward = "+"
    case reverse = "-"

    public var scoresForward: Bool { self != .reverse }
    public var scoresReverse: Bool { self != .forward }
}
