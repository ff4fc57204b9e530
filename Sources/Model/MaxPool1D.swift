/// Max pooling with stride equal to the pool size (Keras `MaxPooling1D`, `valid` padding).
///
/// Layout: input (B, L, C) → output (B, ⌊L / P⌋, C). The last L mod P positions are dropped.
enum MaxPool1DKernel {
    static func forward(
        input: Shape, poolSize: Int, batch: Int,
        _ x: UnsafeBufferPointer<Float>, _ y: UnsafeMutableBufferPointer<Float>
    ) {
        let c = input.channels, outLength = input.length / poolSize
        for b in 0..<batch {
            for t in 0..<outLength {
                let out = (b * outLength + t) * c
                let first = (b * input.length + t * poolSize) * c
                for ch in 0..<c { y[out + ch] = x[first + ch] }
                for p in 1..<poolSize {
                    let row = first + p * c
                    for ch in 0..<c where x[row + ch] > y[out + ch] { y[out + ch] = x[row + ch] }
                }
            }
        }
    }

    /// Routes each output gradient to the first position in its pool that holds the maximum.
    static func backward(
        input: Shape, poolSize: Int, batch: Int,
        _ x: UnsafeBufferPointer<Float>, _ y: UnsafeBufferPointer<Float>,
        _ dy: UnsafeBufferPointer<Float>, _ dx: UnsafeMutableBufferPointer<Float>
    ) {
        let c = input.channels, outLength = input.length / poolSize
        for i in 0..<batch * input.count { dx[i] = 0 }
        for b in 0..<batch {
            for t in 0..<outLength {
                let out = (b * outLength + t) * c
                let first = (b * input.length + t * poolSize) * c
                for ch in 0..<c {
                    for p in 0..<poolSize where x[first + p * c + ch] == y[out + ch] {
                        dx[first + p * c + ch] = dy[out + ch]
                        break
                    }
                }
            }
        }
    }
}
