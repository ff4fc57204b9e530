import Significance

/// Cuts one record's bases, as they are read, into the background's blocks: measures each
/// block's composition and hands its decoy to the tallies once the block is complete. The
/// background pass and a scan that makes its background as it reads
/// (`BackgroundDuringScan`) both cut records with it, so they make the same blocks.
struct BlockCutter {
    private var composition: BlockComposition
    private var blocks: RecordBlocks
    private let seed: UInt64
    private let windowsPerBase: Double
    /// The record position of the next base.
    private(set) var position: Int

    /// A record (number `index` of the background) read from `start`, a block boundary;
    /// `before` holds up to 3 bases before it, the context of its first 4-mers.
    init(index: Int, name: String, start: Int, before: [UInt8], skipSoftMasked: Bool, windowsPerBase: Double) {
        var composition = BlockComposition(skipSoftMasked: skipSoftMasked)
        before.withUnsafeBufferPointer { composition.prime($0) }
        self.composition = composition
        blocks = RecordBlocks(index: index, name: name, firstBlock: start / GenomeBackground.blockLength)
        seed = BackgroundPass.seed(record: name)
        position = start
        self.windowsPerBase = windowsPerBase
    }

    /// Adds the record's next bases.
    mutating func add(_ bases: UnsafeBufferPointer<UInt8>, decoys: DecoyTallies) {
        let blockLength = GenomeBackground.blockLength
        var done = 0
        while done < bases.count {
            let take = min(blockLength - position % blockLength, bases.count - done)
            composition.add(UnsafeBufferPointer(rebasing: bases[done..<(done + take)]))
            done += take
            position += take
            if position % blockLength == 0 { close(decoys) }
        }
    }

    /// The record's blocks once its part is read: with `reachesEnd`, its last, partial block
    /// is closed and its length set. Nil for an empty record, which the background leaves out.
    mutating func finish(reachesEnd: Bool, decoys: DecoyTallies) -> RecordBlocks? {
        guard reachesEnd else { return blocks }
        if position == 0 { return nil }
        if position % GenomeBackground.blockLength != 0 { close(decoys) }
        blocks.recordLength = position
        return blocks
    }

    private mutating func close(_ decoys: DecoyTallies) {
        let number = blocks.firstBlock + blocks.bins.count
        blocks.bins.append(UInt8(composition.gcBin))
        decoys.add(composition.decoy(seed: seed ^ UInt64(number) &* 0xD1B5_4A32_D192_ED03, windowsPerBase: windowsPerBase))
        composition.reset()
    }
}

/// A genome's background made while a scan reads it, so that a scan with statistics reads
/// its input once: the scan hands each record's bases over as it reads them, and the
/// blocks' decoys go with the scan's work items to its workers as the blocks complete. The result is
/// the background a separate pass over the same input makes (`BackgroundPass`), bit for bit.
package final class BackgroundDuringScan {
    private let decoys: DecoyTallies
    private let skipSoftMasked: Bool
    private let windowsPerBase: Double
    private var parts = BackgroundParts()
    private var cutter: BlockCutter?

    /// The decoys' scoring, for the scan's workers.
    package let scoring: DecoyScoring

    package init(builder: BackgroundBuilder) {
        decoys = DecoyTallies(scorer: builder.scorer, strands: builder.strands, geometry: builder.geometry, threads: builder.threads)
        decoys.handsOff = true
        scoring = DecoyScoring(scorer: builder.scorer, strands: builder.strands, geometry: builder.geometry)
        skipSoftMasked = builder.skipSoftMasked
        windowsPerBase = BackgroundPass.decoyFraction / Double(builder.geometry.step)
    }

    deinit { decoys.finishWorkers() }

    /// The number in the background of the record about to begin, should it have bases.
    package var nextRecordIndex: Int { parts.records.count }

    /// Starts the next record; its bases follow with `add`, and `endRecord` ends it.
    package func beginRecord(_ name: String) {
        cutter = BlockCutter(index: parts.records.count, name: name, start: 0, before: [], skipSoftMasked: skipSoftMasked,
                             windowsPerBase: windowsPerBase)
    }

    package func add(_ bases: UnsafeBufferPointer<UInt8>) { cutter?.add(bases, decoys: decoys) }

    /// The blocks completed since the last call, whose decoys the scan's workers score
    /// (`scoring`) and hand back with `add(scored:)`; those never taken are scored at `finish`.
    package func takeBlocks() -> [DecoyBlock] { decoys.takeHandedOff() }

    package func add(scored: [BlockDecoys]) { decoys.add(scored: scored) }

    package func endRecord() {
        if let blocks = cutter?.finish(reachesEnd: true, decoys: decoys) { parts.records.append(blocks) }
        cutter = nil
    }

    /// The background, once every record has been read.
    package func finish() -> GenomeBackground {
        decoys.finishBlocks(into: &parts)
        let background = decoys.finish(parts)
        decoys.finishWorkers()
        return background
    }
}
