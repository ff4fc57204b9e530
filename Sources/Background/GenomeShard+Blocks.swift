import GenomeIO

extension GenomeShard {
    /// The blocks a shard's part of the background is made from: its intervals cut at the
    /// background's blocks, without the window − 1 bases a scan of it reads past its end.
    package func blocks(of index: FastaIndex) -> ScanRegions {
        ScanRegions.shard(self, index: index, blockLength: GenomeBackground.blockLength, windowLength: 1)
    }
}
