import Foundation

/// A generator of background DNA: an order-2 Markov chain fitted to the training negatives,
/// whose composition can be tilted towards other genomes, with low-complexity stretches
/// (homopolymers, short tandem repeats, purine- or pyrimidine-rich runs) mixed in.
///
/// Hard-negative mining and the per-batch background negatives draw from it. It knows
/// nothing of any site: everything it produces is what a genome holds between sites.
public struct BackgroundModel: Sendable, Equatable {
    /// The chain's order: each base depends on the two before it.
    public static let order = 2
    static let contexts = 16

    /// P(base | previous two bases), [context][base] with context = 4·b₋₂ + b₋₁.
    public let transitions: [Double]
    /// P(first two bases), [context].
    public let start: [Double]

    /// Fits the chain to `sequences` (ACGT in either case; other bytes break the context),
    /// with one pseudo-count per cell so that no transition is impossible.
    public init(fittingTo sequences: [[UInt8]]) {
        var counts = [Double](repeating: 1, count: BackgroundModel.contexts * 4)
        var starts = [Double](repeating: 1, count: BackgroundModel.contexts)
        for sequence in sequences {
            var context = 0, valid = 0
            for byte in sequence {
                let code = Int(Nucleotide.code[Int(byte)])
                guard code < 4 else { valid = 0; continue }
                if valid >= 2 { counts[context * 4 + code] += 1 }
                context = (context * 4 + code) & 15
                valid += 1
                if valid == 2 { starts[context] += 1 }
            }
        }
        var transitions = counts
        for context in 0..<BackgroundModel.contexts {
            let total = (0..<4).reduce(0.0) { $0 + counts[context * 4 + $1] }
            for base in 0..<4 { transitions[context * 4 + base] = counts[context * 4 + base] / total }
        }
        let total = starts.reduce(0, +)
        self.transitions = transitions
        self.start = starts.map { $0 / total }
    }

    /// The chain's stationary G+C fraction (by iterating the context distribution).
    public var gcContent: Double {
        var distribution = start
        for _ in 0..<200 {
            var next = [Double](repeating: 0, count: BackgroundModel.contexts)
            for context in 0..<BackgroundModel.contexts {
                for base in 0..<4 { next[(context * 4 + base) & 15] += distribution[context] * transitions[context * 4 + base] }
            }
            distribution = next
        }
        return (0..<BackgroundModel.contexts).reduce(0) { sum, context in
            let last = context & 3
            return sum + (last == 1 || last == 2 ? distribution[context] : 0)
        }
    }
}

/// One composition drawn for a stretch of background: the fitted chain with G+C tilted by
/// a common factor and each dinucleotide by its own, as cumulative tables ready to sample.
///
/// Genomes range from about 20% to 70% G+C and differ in their dinucleotide preferences
/// (CpG depletion in vertebrates, TpA in many others); a model that is specific on one
/// composition only is not specific on genomes.
public struct BackgroundComposition: Sendable {
    /// Cumulative P(base | context), [context][base]; the last entry of each row is 1.
    public private(set) var cumulative: [Double]
    public private(set) var startCumulative: [Double]

    /// `gcTilt` multiplies the odds of G and C by e^gcTilt; `dinucleotideTilts` (16, or
    /// empty) multiplies P(b | …a) by e^tilt[4a + b].
    public init(model: BackgroundModel, gcTilt: Double, dinucleotideTilts: [Double]) {
        cumulative = [Double](repeating: 0, count: BackgroundModel.contexts * 4)
        for context in 0..<BackgroundModel.contexts {
            var weights = (0..<4).map { base -> Double in
                var w = model.transitions[context * 4 + base]
                if base == 1 || base == 2 { w *= exp(gcTilt) }
                if !dinucleotideTilts.isEmpty { w *= exp(dinucleotideTilts[(context & 3) * 4 + base]) }
                return w
            }
            let total = weights.reduce(0, +)
            var sum = 0.0
            for base in 0..<4 {
                sum += weights[base] / total
                weights[base] = sum
            }
            weights[3] = 1
            for base in 0..<4 { cumulative[context * 4 + base] = weights[base] }
        }
        var sum = 0.0
        startCumulative = model.start.map { sum += $0; return sum }
        startCumulative[BackgroundModel.contexts - 1] = 1
    }

    /// A composition drawn at random: G+C tilt uniform in ±`gcSpread` (in log-odds), and
    /// dinucleotide tilts uniform in ±`dinucleotideSpread`.
    public static func random(model: BackgroundModel, gcSpread: Double, dinucleotideSpread: Double,
                       random: inout MersenneTwister) -> BackgroundComposition {
        let gcTilt = gcSpread * (2 * random.nextDouble() - 1)
        let tilts = dinucleotideSpread > 0 ? (0..<16).map { _ in dinucleotideSpread * (2 * random.nextDouble() - 1) } : []
        return BackgroundComposition(model: model, gcTilt: gcTilt, dinucleotideTilts: tilts)
    }

    /// Appends `count` bases (uppercase ACGT) drawn from the chain, one 32-bit draw per base.
    public func sample(_ count: Int, into bases: inout [UInt8], random: inout MersenneTwister) {
        guard count > 0 else { return }
        let letters: [UInt8] = Array("ACGT".utf8)
        var context = BackgroundComposition.draw(startCumulative, random.nextDouble())
        if count >= 2 { bases.append(letters[context >> 2]) }
        bases.append(letters[context & 3])
        guard count > 2 else { return }
        // Each row's three cut points as 32-bit integers: base b when u < cut[b], else 3.
        let scale = Double(UInt32.max) + 1
        let cuts = (0..<(BackgroundModel.contexts * 4)).map { UInt32(min(cumulative[$0] * scale, Double(UInt32.max))) }
        cuts.withUnsafeBufferPointer { cuts in
            for _ in 2..<count {
                let u = random.nextUInt32()
                let row = context * 4
                let base = u < cuts[row] ? 0 : u < cuts[row + 1] ? 1 : u < cuts[row + 2] ? 2 : 3
                bases.append(letters[base])
                context = (context * 4 + base) & 15
            }
        }
    }

    static func draw(_ cumulative: [Double], _ u: Double) -> Int {
        cumulative.firstIndex { u < $0 } ?? cumulative.count - 1
    }
}

/// The low-complexity stretches real genomes are full of and random DNA almost never holds.
public enum LowComplexity: CaseIterable, Sendable {
    /// One base repeated, 6–30 bp.
    case homopolymer
    /// A random unit of 2–6 bases repeated, 10–50 bp.
    case tandemRepeat
    /// A/G (or C/T, the other strand's view) with probability 0.9 per base, 12–50 bp.
    case purineRich

    /// Overwrites a random stretch of `bases[range]` with one element of a random kind.
    public static func insert(into bases: inout [UInt8], range: Range<Int>, random: inout MersenneTwister) {
        let kinds = LowComplexity.allCases
        let kind = kinds[random.nextInt(through: kinds.count - 1)]
        let letters: [UInt8] = Array("ACGT".utf8)
        let length: Int
        switch kind {
        case .homopolymer: length = 6 + random.nextInt(through: 24)
        case .tandemRepeat: length = 10 + random.nextInt(through: 40)
        case .purineRich: length = 12 + random.nextInt(through: 38)
        }
        let span = min(length, range.count)
        guard span > 0 else { return }
        let start = range.lowerBound + random.nextInt(through: range.count - span)
        switch kind {
        case .homopolymer:
            let base = letters[random.nextInt(through: 3)]
            for i in start..<(start + span) { bases[i] = base }
        case .tandemRepeat:
            let unit = (0...random.nextInt(through: 4) + 1).map { _ in letters[random.nextInt(through: 3)] }
            for i in 0..<span { bases[start + i] = unit[i % unit.count] }
        case .purineRich:
            // Purines (A, G) on this strand, or pyrimidines (C, T): the same run seen from the other strand.
            let rich: [UInt8] = random.nextInt(through: 1) == 0 ? Array("AG".utf8) : Array("CT".utf8)
            for i in start..<(start + span) {
                bases[i] = random.nextDouble() < 0.9 ? rich[random.nextInt(through: 1)] : letters[random.nextInt(through: 3)]
            }
        }
    }
}

/// Draws background stretches: a fresh composition for each, low-complexity elements at a
/// given rate.
public struct BackgroundSampler: Sendable {
    public let model: BackgroundModel
    /// G+C log-odds tilt range: ±0.85 spans about 30% to 70% G+C from a 50% chain.
    public var gcSpread = 0.85
    /// Dinucleotide log tilt range.
    public var dinucleotideSpread = 0.5
    /// Low-complexity elements per base (mining stretches) or the chance that a window
    /// carries one (per-batch negatives).
    public var lowComplexityRate: Double

    public init(model: BackgroundModel, lowComplexityRate: Double) {
        self.model = model
        self.lowComplexityRate = lowComplexityRate
    }

    /// One window of `length` bases for a training batch: its own composition, and with
    /// probability `lowComplexityRate` one low-complexity element.
    public func window(length: Int, random: inout MersenneTwister) -> [UInt8] {
        var bases = chain(length: length, random: &random)
        if random.nextDouble() < lowComplexityRate { LowComplexity.insert(into: &bases, range: 0..<length, random: &random) }
        return bases
    }

    /// A stretch of `length` bases with one composition and `lowComplexityRate · length`
    /// (rounded) low-complexity elements at random places.
    public func stretch(length: Int, random: inout MersenneTwister) -> [UInt8] {
        var bases = chain(length: length, random: &random)
        let elements = Int((lowComplexityRate * Double(length)).rounded())
        for _ in 0..<elements { LowComplexity.insert(into: &bases, range: 0..<length, random: &random) }
        return bases
    }

    /// `length` bases from a freshly drawn composition.
    private func chain(length: Int, random: inout MersenneTwister) -> [UInt8] {
        let composition = BackgroundComposition.random(model: model, gcSpread: gcSpread,
                                                       dinucleotideSpread: dinucleotideSpread, random: &random)
        var bases = [UInt8]()
        bases.reserveCapacity(length)
        composition.sample(length, into: &bases, random: &random)
        return bases
    }
}
