import Model
import Testing

/// Central finite differences against the analytic backward pass, layer by layer.
///
/// Float32 throughout, step h = 1e-3: a gradient passes when |numeric − analytic| ≤
/// 2e-3 + 2e-2·|analytic|. Each test prints the largest difference it saw.
@Suite struct GradientTests {
    static let step: Float = 1e-3

    struct Setup {
        var network: Network
        var input: [Float]
        var targets: [Float]
        var batch: Int
    }

    static func setup(_ layers: [Layer], length: Int = 9, batch: Int = 3, seed: UInt32 = 11) throws -> Setup {
        var random = MersenneTwister(seed: seed)
        var network = try Network(name: "check", inputLength: length, layers: layers)
        network.initialise(random: &random)
        // Non-zero biases so that they are exercised too.
        for i in network.parameters.indices where network.parameters[i] == 0 {
            network.parameters[i] = Float(random.nextDouble() - 0.5) * 0.2
        }
        let input = (0..<batch * length * 4).map { _ in Float(random.nextDouble() * 2 - 1) }
        let units = network.outputUnits
        var targets = [Float]()
        for _ in 0..<batch {
            let positive = random.nextDouble() < 0.5
            targets += units == 1 ? [positive ? 1 : 0] : [positive ? 0 : 1, positive ? 1 : 0]
        }
        return Setup(network: network, input: input, targets: targets, batch: batch)
    }

    /// The loss with a fixed dropout mask (the generator is reseeded every call).
    static func loss(_ s: Setup, _ loss: Loss, parameters: [Float]? = nil, input: [Float]? = nil) -> Double {
        var network = s.network
        if let parameters { network.parameters = parameters }
        var workspace = Workspace(network: network, capacity: s.batch, training: true)
        workspace.input = input ?? s.input
        var random: MersenneTwister? = MersenneTwister(seed: 99)
        var gradients = [Float](repeating: 0, count: network.parameterCount)
        return network.lossAndGradients(&workspace, batch: s.batch, targets: s.targets, loss: loss,
                                        random: &random, parameterGradients: &gradients)
    }

    /// Checks every weight and every input value; returns the largest difference.
    static func check(_ layers: [Layer], loss lossFunction: Loss, length: Int = 9) throws -> Float {
        let s = try setup(layers, length: length)
        var workspace = Workspace(network: s.network, capacity: s.batch, training: true)
        workspace.input = s.input
        var random: MersenneTwister? = MersenneTwister(seed: 99)
        var gradients = [Float](repeating: 0, count: s.network.parameterCount)
        _ = s.network.lossAndGradients(&workspace, batch: s.batch, targets: s.targets, loss: lossFunction,
                                       random: &random, parameterGradients: &gradients, inputGradient: true)
        let inputGradient = workspace.inputGradient
        var largest: Float = 0
        func compare(_ numeric: Double, _ analytic: Float, _ what: String) {
            let difference = abs(Float(numeric) - analytic)
            largest = max(largest, difference)
            #expect(difference <= 2e-3 + 2e-2 * abs(analytic), "\(what): numeric \(numeric) analytic \(analytic)")
        }
        // Perturbs one value of `values` (weights or input) both ways and compares.
        func checkEach(_ values: [Float], analytic: [Float], what: String, loss perturbed: ([Float]) -> Double) {
            for i in values.indices {
                var plus = values, minus = values
                plus[i] += step
                minus[i] -= step
                compare((perturbed(plus) - perturbed(minus)) / Double(2 * step), analytic[i], "\(what) \(i)")
            }
        }
        checkEach(s.network.parameters, analytic: gradients, what: "weight") { loss(s, lossFunction, parameters: $0) }
        checkEach(s.input, analytic: inputGradient, what: "input") { loss(s, lossFunction, input: $0) }
        return largest
    }

    @Test(arguments: Loss.allCases)
    func convolutionValidLinear(loss: Loss) throws {
        let largest = try GradientTests.check(
            [.conv1d(filters: 3, kernelSize: 4, padding: .valid, activation: .linear), .flatten,
             .dense(units: 1, activation: .sigmoid)], loss: loss)
        print("conv1d valid, \(loss): largest difference \(largest)")
    }

    @Test(arguments: Loss.allCases)
    func convolutionSameReluEvenKernel(loss: Loss) throws {
        let largest = try GradientTests.check(
            [.conv1d(filters: 3, kernelSize: 4, padding: .same, activation: .relu), .flatten,
             .dense(units: 2, activation: .softmax)], loss: loss)
        print("conv1d same + relu, softmax, \(loss): largest difference \(largest)")
    }

    @Test(arguments: Loss.allCases)
    func maxPoolWithRemainder(loss: Loss) throws {
        // 9 − 3 + 1 = 7 positions pooled by 2 leaves one position unused, as Keras floors.
        let largest = try GradientTests.check(
            [.conv1d(filters: 2, kernelSize: 3, padding: .valid, activation: .linear), .maxPool1d(poolSize: 2),
             .flatten, .dense(units: 1, activation: .sigmoid)], loss: loss)
        print("maxpool1d, \(loss): largest difference \(largest)")
    }

    @Test(arguments: Loss.allCases)
    func denseReluAndDropout(loss: Loss) throws {
        let largest = try GradientTests.check(
            [.flatten, .dense(units: 6, activation: .relu), .dropout(rate: 0.3), .dense(units: 5, activation: .sigmoid),
             .dense(units: 2, activation: .softmax)], loss: loss, length: 3)
        print("dense + relu + dropout + sigmoid + softmax, \(loss): largest difference \(largest)")
    }

    @Test func lossGradientsWithRespectToProbabilities() {
        // dL/dp of each loss alone (the unfused path), for both output widths.
        for loss in Loss.allCases {
            for width in [1, 2] {
                let p: [Float] = width == 1 ? [0.3, 0.8, 0.55] : [0.3, 0.7, 0.6, 0.4, 0.2, 0.8]
                let y: [Float] = width == 1 ? [0, 1, 1] : [1, 0, 0, 1, 0, 1]
                let rows = p.count / width
                var analytic = [Float](repeating: 0, count: p.count)
                p.withUnsafeBufferPointer { pp in
                    y.withUnsafeBufferPointer { yy in
                        analytic.withUnsafeMutableBufferPointer { loss.gradient(pp, yy, rows: rows, width: width, into: $0) }
                    }
                }
                var largest: Float = 0
                for i in p.indices {
                    var plus = p, minus = p
                    plus[i] += 1e-3
                    minus[i] -= 1e-3
                    let value = { (q: [Float]) in
                        q.withUnsafeBufferPointer { qq in y.withUnsafeBufferPointer { loss.value(qq, $0, rows: rows, width: width) } }
                    }
                    let numeric = Float((value(plus) - value(minus)) / 2e-3)
                    largest = max(largest, abs(numeric - analytic[i]))
                    #expect(abs(numeric - analytic[i]) <= 1e-3 + 1e-2 * abs(analytic[i]), "\(loss) width \(width) index \(i)")
                }
                print("\(loss) loss, width \(width): largest difference \(largest)")
            }
        }
    }
}
