/// One of `count` shards of an indexed genome, `index` counting from 1: the records laid
/// end to end and cut into `count` pieces of about equal length at block boundaries
/// (`ScanRegions.shard`), for jobs that each read one piece through the index.
public struct GenomeShard: Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let count: Int
    /// The most shards a genome is cut into.
    public static let maximumCount = 100_000

    /// Nil unless 1 ≤ `index` ≤ `count` ≤ `maximumCount`.
    public init?(index: Int, count: Int) {
        guard index >= 1, index <= count, count <= GenomeShard.maximumCount else { return nil }
        (self.index, self.count) = (index, count)
    }

    /// `I/N`, as `--shard` takes it.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else { return nil }
        self.init(index: index, count: count)
    }

    public var description: String { "\(index)/\(count)" }
}
