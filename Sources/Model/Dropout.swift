/// Inverted dropout (Keras `Dropout`): training keeps each value with probability
/// 1 − rate and scales it by 1 / (1 − rate); inference passes values through unchanged.
enum DropoutKernel {
    /// Draws a fresh mask (values 0 or 1 / (1 − rate)) and applies it: y = x · mask.
    static func forward(
        rate: Float, count: Int, random: inout MersenneTwister,
        _ x: UnsafeBufferPointer<Float>, _ y: UnsafeMutableBufferPointer<Float>,
        mask: UnsafeMutableBufferPointer<Float>
    ) {
        let scale = 1 / (1 - rate)
        for i in 0..<count {
            mask[i] = random.nextDouble() >= Double(rate) ? scale : 0
            y[i] = x[i] * mask[i]
        }
    }

    /// dx = dy · mask
    static func backward(
        count: Int, mask: UnsafeBufferPointer<Float>,
        _ dy: UnsafeBufferPointer<Float>, _ dx: UnsafeMutableBufferPointer<Float>
    ) {
        for i in 0..<count { dx[i] = dy[i] * mask[i] }
    }
}
