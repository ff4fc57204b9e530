import Foundation
import GenomeIO
import Model
import Testing

@Suite struct LineBufferTests {
    static func fixed4(_ p: Float) -> String {
        var line = LineBuffer()
        line.appendFixed4(p)
        return String(decoding: line.bytes, as: UTF8.self)
    }

    /// Exact ties (p·10⁴ ending in .5) round half to even, as printf rounds the binary value.
    @Test func tiesRoundAsPrintfDoes() {
        #expect(LineBufferTests.fixed4(0.53125) == "0.5312")
        #expect(LineBufferTests.fixed4(0.03125) == "0.0312")
        #expect(LineBufferTests.fixed4(0.09375) == "0.0938")
        #expect(LineBufferTests.fixed4(0) == "0.0000")
        #expect(LineBufferTests.fixed4(1) == "1.0000")
    }

    @Test func agreesWithPrintfOnEveryKindOfProbability() {
        var random = MersenneTwister(seed: 3)
        var values: [Float] = (0...4096).map { Float($0) / 4096 }  // every tie of a 2^-12 grid
        values += (0..<20_000).map { _ in Float(random.nextUInt32()) / Float(UInt32.max) }
        values += (0..<2_000).map { Float($0) / 10_000 }
        for p in values {
            #expect(LineBufferTests.fixed4(p) == String(format: "%.4f", Double(p)), "p = \(p)")
        }
    }
}
