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

    /// p- and q-values for a table: three significant digits as printf's %.2e, 0 and 1 plain.
    @Test func scientificAgreesWithPrintf() {
        func scientific(_ x: Double) -> String {
            var line = LineBuffer()
            line.appendScientific(x)
            return String(decoding: line.bytes, as: UTF8.self)
        }
        #expect(scientific(1) == "1" && scientific(0) == "0" && scientific(2) == "1")
        #expect(scientific(8.98e-7) == "8.98e-07" && scientific(0.0358) == "3.58e-02" && scientific(1e-300) == "1.00e-300")
        var random = MersenneTwister(seed: 4)
        for _ in 0..<20_000 {
            let x = pow(10, -random.nextDouble() * 30) * 0.999_999
            #expect(scientific(x) == String(format: "%.2e", x), "x = \(x)")
        }
    }
}
