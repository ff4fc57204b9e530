import Significance

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A haplotype's best window: the highest probability on either strand.
public struct BestWindow: Sendable, Equatable {
    public let probability: Float
    /// 0-based, in the haplotype's coordinates.
    public let start: Int
    public let reverse: Bool

    package init(probability: Float, start: Int, reverse: Bool) {
        (self.probability, self.start, self.reverse) = (probability, start, reverse)
    }
}
