import ArgumentParser
import GenomeIO

struct Index: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Index a FASTA file for random access, as samtools faidx does.",
        discussion: """
            Writes FILE.fai (name, length, offset, bases per line, bytes per line) and, for \
            BGZF (bgzip) input, FILE.gzi (where each compressed block starts), in samtools \
            faidx's formats: either tool reads the other's. Every line of a record but its \
            last must be equally long. Plain gzip cannot be read at random: recompress it \
            with bgzip (Debian's tabix package).
            """
    )

    @Argument(help: ArgumentHelp("FASTA file, plain or BGZF.", valueName: "fasta"))
    var input: String

    func validate() throws {
        if input == "-" { throw ValidationError("an index describes a file: give its path, not -") }
    }

    func run() throws {
        try reportingErrors("index") {
            let blocks = try IndexedFasta.isGzip(input) ? try BGZFBlockIndex(building: input) : nil
            let index = try FastaIndex.build(reading: ByteStream(path: input))
            let fai = try OutputFile(path: input + ".fai")
            try fai.write(index.text)
            if let blocks {
                let gzi = try OutputFile(path: input + ".gzi")
                try gzi.write(bytes: blocks.bytes)
                try gzi.commit()
            }
            try fai.commit()
        }
    }
}

struct Fetch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print regions of an indexed FASTA file, as samtools faidx does.",
        discussion: """
            Regions are chr, chr:beg or chr:beg-end, 1-based and inclusive (commas allowed); \
            each is printed as a FASTA record named as given, 60 bases a line, read through \
            FILE.fai (and FILE.gzi for BGZF) from annotate index or samtools faidx.
            """
    )

    @Argument(help: ArgumentHelp("Indexed FASTA file, plain or BGZF.", valueName: "fasta"))
    var input: String

    @Argument(help: ArgumentHelp("Regions to print.", valueName: "region"))
    var regions: [String]

    @Option(name: .shortAndLong, help: ArgumentHelp("Write here instead of stdout; the file appears only when every region is read.", valueName: "file"))
    var output: String?

    func run() throws {
        try reportingErrors("fetch") {
            refuseOverwritingInputs("fetch", inputs: [input], outputs: [("-o", output)])
            let fasta = try IndexedFasta(path: input)
            let out = try OutputFile(path: output)
            var writer = FastaWriter(output: out)
            for text in regions {
                let region = try GenomeRegion(parsing: text, path: input) { fasta.index.entry(named: $0) != nil }
                try writer.write(record: text) { (body) throws(GenomeIOError) in
                    try fasta.read(region.name, from: region.begin, to: region.end ?? Int.max, body)
                }
                if out.isClosedByReader { return }
            }
            try out.commit()
        }
    }
}
