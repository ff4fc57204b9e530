// libFuzzer harness for the model file reader: JSONParser, Network.load(modelFile:path:)
// and the checks in Network.init. Compiled into the Model module's own sources
// (scripts/fuzz.sh modelfile), so internal API is reachable.
//
// A thrown ModelError is expected. When the input loads, the model must also survive the
// round trip its file format promises: modelFileText() must not throw, its text must load
// again to an equal Network (bit-exact weights) and write the same text. A network whose
// sizes are small then predicts two samples of one-hot input (inputLength bases taken
// from the input; 50 bp for the built-in architecture), which must give two values in
// [0, 1] or NaN. A trap, an ASan report, a leak or a hang is a bug.

private func fail(_ reason: String, _ text: String) -> Never {
    fatalError("\(reason)\n--- modelFileText ---\n\(text.prefix(4000))")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let network: Network
    do throws(ModelError) {
        network = try Network.load(modelFile: bytes, path: "fuzz.json")
    } catch {
        _ = error.description
        return 0
    }
    let text: String
    do throws(ModelError) {
        text = try network.modelFileText()
    } catch {
        fatalError("modelFileText failed for a model that loaded: \(error)")
    }
    do throws(ModelError) {
        let again = try Network.load(modelFile: Array(text.utf8), path: "fuzz-again.json")
        guard again == network else { fail("the model file text loads to a different network", text) }
        let textAgain = try again.modelFileText()
        guard textAgain == text else { fail("writing the reloaded network gives different text", text) }
    } catch {
        fail("the model's own file text does not load: \(error)", text)
    }

    // Cheap predictions only: the weights and every layer's output small.
    let small = network.parameterCount <= 1 << 18 && network.inputLength <= 4096
        && network.shapes.allSatisfy { $0.count <= 1 << 18 }
    guard small else { return 0 }
    let sample = network.inputLength * 4
    var bases = [UInt8]()
    bases.reserveCapacity(2 * network.inputLength)
    for i in 0..<(2 * network.inputLength) {
        bases.append(size == 0 ? UInt8(ascii: "A") : bytes[(i * 7919) % size])
    }
    let oneHot = Nucleotide.oneHot([Array(bases[..<network.inputLength]), Array(bases[network.inputLength...])])
    precondition(oneHot.count == 2 * sample, "one-hot size \(oneHot.count) for 2 × \(sample)")
    let probabilities = network.predict(oneHot: oneHot, count: 2)
    precondition(probabilities.count == 2, "\(probabilities.count) predictions for 2 samples")
    for p in probabilities {
        precondition(p.isNaN || (0...1).contains(p), "prediction \(p) is not a probability")
    }
    return 0
}
