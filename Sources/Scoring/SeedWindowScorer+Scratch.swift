/// The sizes of one `score` call's buffers, from the block's geometry, in one place: each
/// kernel's needs, as the kernels compute them. Counts are in elements of the buffer's type.
struct ScratchLayout: Equatable {
    let block: Int, span: Int, groups: Int, slots: Int, filters: Int, poolSize: Int
    /// Positions one block's windows cover: one stretch when they overlap, else one span each.
    let positions: Int
    /// Positions of the reference path's longest run of overlapping candidates.
    let runPositions: Int
    /// Step 1's Winograd tiles for a full block: outputs y[t] reach t < offset + 3P·(tap
    /// groups − 1) + block (offset = span − P·slots on the − strand, the larger), in blocks
    /// of 4P outputs, P tiles each; the tiles read 2P rows past their last block.
    let winogradBlocks: Int, winogradTiles: Int, winogradRows: Int

    init(scorer: SeedWindowScorer, step: Int) {
        block = SeedWindowScorer.block
        span = scorer.span
        groups = scorer.groups
        slots = scorer.slots
        filters = scorer.filters
        poolSize = scorer.poolSize
        positions = step < span ? (block - 1) * step + span : block * span
        runPositions = step < span ? (block - 1) * step + span : span
        let outputs = (span - poolSize * slots) + 3 * poolSize * max(slots / 3 - 1, 0) + block
        winogradBlocks = (outputs + 4 * poolSize - 1) / (4 * poolSize)
        winogradTiles = winogradBlocks * poolSize
        winogradRows = winogradBlocks * 4 * poolSize + 2 * poolSize
    }

    /// Conv values (vectors): every position of the block.
    var conv: Int { positions * groups }
    /// Sliding maxima (vectors): every position, or Winograd's rows (those computed, at most
    /// block + span, and the zero padding after them).
    var maxima: Int { max(positions, winogradRows, block + span) * groups }
    /// Floats: a block's pooled rows (block × slots·filters), or Winograd's six transformed
    /// input planes (tiles × filters each).
    var pooled: Int { max(block * slots * filters, 6 * winogradTiles * filters) }
    /// Floats: hidden units (block × 16), or Winograd's six products (tiles × slots / 3 · 16).
    var hidden: Int { max(block * 16, 6 * winogradTiles * (slots / 3) * 16) }
    /// Winograd's outputs y[t] (vectors): 4P rows a block, slots / 3 vectors a row.
    var winogradOutputs: Int { winogradBlocks * 4 * poolSize * max(slots / 3, 1) }
    /// The 4-mer index of every position convolved, plus the 8 that the last position's
    /// second and third tables read.
    var kmers: Int { max(positions, block + span) + 8 }
    /// The reference path's conv values and sliding maxima (vectors).
    var exactConv: Int { runPositions * groups }
}

/// One `score` call's working memory: the weights copied into aligned buffers, and room for
/// one block's conv values, pooled rows, logits and candidates, sized by `ScratchLayout`.
/// Pointers never leave it; kernels state what they touch with `require`, which checks it
/// against the layout in debug builds.
final class Scratch {
    let layout: ScratchLayout
    let forwardTaps: UnsafeMutablePointer<SIMD16<Float>>
    let reverseTaps: UnsafeMutablePointer<SIMD16<Float>>
    let convBias: UnsafeMutablePointer<SIMD16<Float>>
    let dense1: UnsafeMutablePointer<SIMD16<Float>>
    /// The reference path's conv values and their sliding maxima for one run.
    let exactConv: UnsafeMutablePointer<SIMD16<Float>>
    let exactMaxima: UnsafeMutablePointer<SIMD16<Float>>
    /// The fast path's conv values, sliding maxima, products (block × slots·filters, or
    /// Winograd's planes at step 1), hidden pre-activations (block × 16) and logits (block).
    let conv: UnsafeMutablePointer<SIMD16<Float>>
    let maxima: UnsafeMutablePointer<SIMD16<Float>>
    let pooled: UnsafeMutablePointer<Float>
    let hidden: UnsafeMutablePointer<Float>
    let logits: UnsafeMutablePointer<Float>
    let kmers: UnsafeMutablePointer<UInt8>
    /// Step 1's Winograd outputs y_g[t], t-major (rows × slots / 3).
    let winogradOutputs: UnsafeMutablePointer<SIMD16<Float>>
    var candidates: [Int] = []
    private var allocations: [UnsafeMutableRawPointer] = []

    /// The buffers `require` checks.
    enum Buffer { case conv, maxima, pooled, hidden, logits, kmers, winogradOutputs, exactConv }

    init(scorer: SeedWindowScorer, step: Int) {
        let layout = ScratchLayout(scorer: scorer, step: step)
        self.layout = layout
        var allocations: [UnsafeMutableRawPointer] = []
        func allocate<T>(_ count: Int, of: T.Type) -> UnsafeMutablePointer<T> {
            let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<T>.stride, alignment: 64)
            allocations.append(raw)
            return raw.bindMemory(to: T.self, capacity: max(count, 1))
        }
        func copy(_ values: [SIMD16<Float>]) -> UnsafeMutablePointer<SIMD16<Float>> {
            let pointer = allocate(values.count, of: SIMD16<Float>.self)
            for (i, v) in values.enumerated() { pointer[i] = v }
            return pointer
        }
        forwardTaps = copy(scorer.forwardTaps)
        reverseTaps = copy(scorer.reverseTaps)
        convBias = copy(scorer.convBias)
        dense1 = copy(scorer.dense1)
        exactConv = allocate(layout.exactConv, of: SIMD16<Float>.self)
        exactMaxima = allocate(layout.exactConv, of: SIMD16<Float>.self)
        conv = allocate(layout.conv, of: SIMD16<Float>.self)
        maxima = allocate(layout.maxima, of: SIMD16<Float>.self)
        pooled = allocate(layout.pooled, of: Float.self)
        hidden = allocate(layout.hidden, of: Float.self)
        logits = allocate(layout.block, of: Float.self)
        kmers = allocate(layout.kmers, of: UInt8.self)
        winogradOutputs = allocate(layout.winogradOutputs, of: SIMD16<Float>.self)
        candidates.reserveCapacity(layout.block)
        self.allocations = allocations
    }

    deinit {
        for pointer in allocations { pointer.deallocate() }
    }

    /// Checks, in debug builds, that a kernel's use of `buffer` (elements 0 ..< count) fits
    /// the layout. Release builds compile it away.
    @inline(__always)
    func require(_ buffer: Buffer, _ count: Int) {
        assert(count <= capacity(buffer), "scratch \(buffer) needs \(count), has \(capacity(buffer))")
    }

    func capacity(_ buffer: Buffer) -> Int {
        switch buffer {
        case .conv: layout.conv
        case .maxima: layout.maxima
        case .pooled: layout.pooled
        case .hidden: layout.hidden
        case .logits: layout.block
        case .kmers: layout.kmers
        case .winogradOutputs: layout.winogradOutputs
        case .exactConv: layout.exactConv
        }
    }
}
