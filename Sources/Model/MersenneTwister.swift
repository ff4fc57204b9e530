/// The MT19937 Mersenne Twister, bit-compatible with numpy's legacy `RandomState`.
///
/// Every random draw in training (initialisation, shuffling, dropout) comes from one
/// instance of this generator, so the same seed gives the same bytes. Seeding with an
/// integer follows `init_genrand` (Matsumoto & Nishimura 1998), which is what
/// `numpy.random.RandomState(seed)` does for a seed in 0 ..< 2³².
public struct MersenneTwister: Sendable {
    private var state: [UInt32]
    private var index: Int

    private static let degree = 624
    private static let middle = 397

    public init(seed: UInt32) {
        var state = [UInt32](repeating: 0, count: Self.degree)
        state[0] = seed
        for i in 1..<Self.degree {
            let previous = state[i - 1]
            state[i] = 1_812_433_253 &* (previous ^ (previous >> 30)) &+ UInt32(i)
        }
        self.state = state
        self.index = Self.degree
    }

    /// The next 32-bit output (`genrand_int32`).
    public mutating func nextUInt32() -> UInt32 {
        if index >= Self.degree { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    private mutating func twist() {
        let n = Self.degree, m = Self.middle
        for i in 0..<n {
            let y = (state[i] & 0x8000_0000) | (state[(i + 1) % n] & 0x7FFF_FFFF)
            var next = state[(i + m) % n] ^ (y >> 1)
            if y & 1 != 0 { next ^= 0x9908_B0DF }
            state[i] = next
        }
        index = 0
    }

    /// A double in [0, 1) with 53 random bits, as numpy's `random_sample` (`genrand_res53`).
    public mutating func nextDouble() -> Double {
        let a = Double(nextUInt32() >> 5), b = Double(nextUInt32() >> 6)
        return (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }

    /// A uniform integer in 0 ... `upperBound`, by masked rejection sampling on 32-bit draws.
    ///
    /// Mirrors numpy's `random_interval`, which the legacy `shuffle` uses; bounds
    /// above 2³² − 1 are not needed here and are not supported.
    public mutating func nextInt(through upperBound: Int) -> Int {
        precondition(upperBound >= 0 && upperBound <= Int(UInt32.max), "bound out of range")
        if upperBound == 0 { return 0 }
        var mask = UInt32(upperBound)
        mask |= mask >> 1
        mask |= mask >> 2
        mask |= mask >> 4
        mask |= mask >> 8
        mask |= mask >> 16
        while true {
            let value = nextUInt32() & mask
            if value <= UInt32(upperBound) { return Int(value) }
        }
    }

    /// Shuffles in place as numpy's legacy `RandomState.shuffle`: Fisher–Yates from the top.
    public mutating func shuffle<T>(_ elements: inout [T]) {
        var i = elements.count - 1
        while i >= 1 {
            let j = nextInt(through: i)
            elements.swapAt(i, j)
            i -= 1
        }
    }

    /// `RandomState.permutation(count)`: a shuffled `0 ..< count`.
    public mutating func permutation(_ count: Int) -> [Int] {
        var values = Array(0..<count)
        shuffle(&values)
        return values
    }
}
