import Model
import Testing

@Suite struct MersenneTwisterTests {
    @Test func matchesTheReferenceGenerator() {
        // genrand_int32 after init_genrand(5489), from Matsumoto & Nishimura's mt19937ar.out.
        var random = MersenneTwister(seed: 5489)
        #expect((0..<3).map { _ in random.nextUInt32() } == [3_499_211_612, 581_869_302, 3_890_346_734])
    }

    @Test func matchesNumpyRandomSample() {
        // numpy.random.RandomState(42).random_sample(3)
        var random = MersenneTwister(seed: 42)
        #expect((0..<3).map { _ in random.nextDouble() } == [0.3745401188473625, 0.9507143064099162, 0.7319939418114051])
    }

    @Test func permutationMatchesNumpy() {
        // numpy.random.RandomState(0).permutation(10) and RandomState(1).permutation(1)
        var random = MersenneTwister(seed: 0)
        #expect(random.permutation(10) == [2, 8, 4, 9, 1, 6, 7, 3, 0, 5])
        var one = MersenneTwister(seed: 1)
        #expect(one.permutation(1) == [0])
        #expect(one.permutation(0) == [])
    }

    @Test func notebookSplitMatchesScikitLearn() {
        // p = numpy.random.RandomState(42).permutation(2000); test = p[:500], train = p[500:]
        let split = NotebookSplit(count: 2000)
        #expect(split.test.count == 500)
        #expect(split.train.count == 1500)
        #expect(Array(split.test.prefix(10)) == [1860, 353, 1333, 905, 1289, 1273, 938, 1731, 65, 1323])
        #expect(Array(split.train.prefix(10)) == [1738, 548, 936, 1389, 1607, 1939, 1481, 182, 1940, 1160])
        #expect(Array(split.train.suffix(5)) == [1130, 1294, 860, 1459, 1126])
        #expect(Set(split.test + split.train) == Set(0..<2000))
    }
}
