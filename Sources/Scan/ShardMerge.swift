import GenomeIO
import Model

/// Joins the shard files of one genome (`ShardWriter`) into the output one scan of the
/// whole genome writes: their windows, laid end to end in shard order, go through the same
/// region writer, with every shard's tests for the q-values.
public enum ShardMerge {
    /// What kind of file `annotate merge` was given, by its first line: a background's part
    /// (`BackgroundFile`), a shard of a scan (`ShardWriter`), or neither (nil).
    public enum Kind: Sendable { case background, shard }

    public static func kind(of path: String) throws(GenomeIOError) -> Kind? {
        switch try FieldReader(path: path).next()?.first {
        case "#annotate-background": .background
        case "#annotate-shard": .shard
        default: nil
        }
    }

    /// Merges the shard files at `paths` (in any order; every shard of one scan exactly once)
    /// into `file`.
    public static func run(paths: [String], output file: OutputFile) throws(GenomeIOError) -> ScanSummary {
        // The headers first, to check the shards and put them in order; then each shard in
        // turn, so that one file is open at a time however many shards there are.
        var shards: [(number: Int, path: String)] = []
        var first: [String]?
        for path in paths {
            let (reader, number, header) = try open(path, count: paths.count)
            if let first, first != header {
                throw reader.fail("this shard comes from another scan than \(shards[0].path): its settings, output options or background differ")
            }
            if let twin = shards.first(where: { $0.number == number }) { throw reader.fail("shard \(number) is given twice (also \(twin.path))") }
            shards.append((number, path))
            first = header
        }
        shards.sort { $0.number < $1.number }
        guard let header = first, let path = shards.first?.path else { return ScanSummary() }
        let options = try ShardOptions(header: header, reader: try FieldReader(path: path))
        var join = try ShardJoin(options: options, file: file)
        for shard in shards {
            let (reader, number, again) = try open(shard.path, count: paths.count)
            guard number == shard.number, again == header else { throw reader.fail("the file changed while it was merged") }
            try join.read(reader)
        }
        return try join.finish()
    }

    /// Opens a shard file and reads its header: the shard's number and the lines that must
    /// be the same in every shard of one scan.
    private static func open(_ path: String, count: Int) throws(GenomeIOError) -> (FieldReader, Int, [String]) {
        let reader = try FieldReader(path: path)
        guard let magic = try reader.next(), magic.count == 2, magic[0] == "#annotate-shard" else {
            throw reader.fail("not a shard file of annotate (annotate scan --shard I/N -o FILE writes them)")
        }
        guard magic[1] == Substring(String(ShardOptions.formatVersion)) else {
            throw reader.fail("a shard file of format \(MessageText.shown(String(magic[1]), limit: 20)); this annotate reads format \(ShardOptions.formatVersion): scan the shard again with this annotate")
        }
        var header: [String] = []
        for kind in ["settings", "output", "background"] { header.append(try reader.expect(kind, fields: 2, orMore: true).joined(separator: "\t")) }
        let shard = try reader.expect("shard", fields: 3)
        let number = try reader.count(shard[1], "the shard"), total = try reader.count(shard[2], "the shard count")
        guard number >= 1, number <= total, total == count else {
            throw reader.fail("this is shard \(number) of \(total), and \(count) files were given: merge needs every shard of the scan once")
        }
        return (reader, number, header)
    }
}
