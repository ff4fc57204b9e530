import Model

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Why skipping is exact: the whole proof, with its assumptions, for the code in this file.
//
// Claim. For every scorable window and either strand, let z_ref be the logit the reference
// path computes (`SeedWindowScorer.scoreExactly`, the value the scan writes) and ẑ the fast
// path's logit (`SeedWindowScorer.fastLogits`). Then |z_ref − ẑ| ≤ E, with E = `logitError`.
// So a window with ẑ < `logitCut(t)` has p_ref < t and is skipped without changing the output.
//
// 1. Both values are sums of the same terms in different orders and groupings: table rows
//    against tap by tap for the convolution, matrix kernels (with or without fused
//    multiply-adds, Winograd at step 1) against one product and sum at a time for the dense
//    layer, a transposing tree against a sequence for the output unit. So each is within
//    its rounding error of the exact value, and E bounds the two errors together.
// 2. Rounding (Higham, Accuracy and Stability of Numerical Algorithms, §3.1): a Float sum of
//    n products, in any order, with or without fused multiply-adds, is within
//    γₙ = n·u/(1 − n·u), u = 2⁻²⁴, times the sum of the absolute values of its terms.
//    `logitErrorBound` adds these up for both paths from the exact value: the convolution
//    (bias + K taps, from tables or tap by tap), max-pooling (exact: it picks a value), the
//    dense layer (direct product: n + 1 roundings; Winograd F(4,3): each elementary product
//    passes through fewer than F + slots + 16 roundings, three in Bᵀd, one for U = G·g
//    (computed in Double and rounded once), the product, F − 1 in the dot, three in the output
//    transform and one per tap group and bias; its magnitudes are |Aᵀ|·(|Bᵀ| M)·(|G| |g|),
//    worst output of each tap group, either strand), relu (1-Lipschitz) and the output unit
//    (at most 18 terms). The sum is widened by 1% and 1e-6; it is computed in Double.
// 3. The slots of the − strand. Its window reads the pooled rows in reverse, so the weight
//    row that multiplies pooled position p is slot `weightSlot(p, reverse: true)` =
//    slots − 1 − p. The bound and the Winograd kernels both take it from `weightSlot`.
//
// Assumptions, each checked or made true in code:
// - No overflow. The analysis needs every Float sum finite; when any bounded magnitude reaches
//   1e30 (or a weight is not finite), E is infinite, the cut is −∞, and every window goes
//   through the reference path.
// - NaN. A NaN fast value fails `ẑ < cut` and goes to the reference path; NaN weights give
//   an infinite or NaN E, which makes the cut −∞.
// - expf. The reference probability is `Activation.sigmoid(z_ref)`, within 1e-6 of the true
//   sigmoid (glibc's expf is correctly rounded to within an ulp, then an add and a divide):
//   the cut is taken at logit(t − 1e-6), minus E, minus 1e-4 of margin.
// - Non-ACGT codes. The tables read any code as `code & 3`; a window holding a base that is
//   not A, C, G or T is not scorable, so its fast value is never used.

extension FastPath {
    /// E: a bound on |fast logit − reference logit| for any window; the proof is at the top
    /// of this file.
    ///
    /// Per filter f: A_f = |bias| + Σₖ maxᵦ |tap(k, b)|; each path's conv value is within
    /// γ_{K+1}·A_f of the exact one, so they differ by δ_f = 2γ_{K+1}·A_f and |conv| ≤
    /// M_f = A_f(1 + γ_{K+1}) + δ_f. Per hidden unit u: S_u = |b1_u| + Σᵢ |W1_iu|·M_f(i)
    /// bounds every term sum; the reference pre-activation is within γ_{n+1}·S_u of the exact
    /// one (n = slots·filters), the fast one within γ_{n+1}·S_u (direct) or
    /// γ_{F+slots+16}·T_u (Winograd, T_u its elementary-product magnitude), and the conv
    /// difference adds Σᵢ |W1_iu|·δ_f(i); relu keeps the difference. Logit:
    /// Σ_u |w2_u|·Δa_u + 2γ₁₈·(|b2| + Σ_u |w2_u|·S_u(1 + γ_{n+1})).
    static func logitErrorBound(
        taps: [Vector], convBias: [Vector], kernelSize: Int, groups: Int,
        dense1Kernel: [Float], dense1Bias: [Float], dense2Kernel: [Float], dense2Bias: Float
    ) -> Double {
        let u = Double(Float.ulpOfOne) / 2
        func gamma(_ n: Int) -> Double { Double(n) * u / (1 - Double(n) * u) }
        let filters = groups * 16
        var difference = [Double](repeating: 0, count: filters)  // δ_f
        var magnitude = [Double](repeating: 0, count: filters)  // M_f
        for f in 0..<filters {
            var a = Double(abs(convBias[f / 16][f % 16]))
            for k in 0..<kernelSize {
                a += (0..<4).map { Double(abs(taps[(k * 5 + $0) * groups + f / 16][f % 16])) }.max() ?? 0
            }
            difference[f] = 2 * gamma(kernelSize + 1) * a
            magnitude[f] = a * (1 + gamma(kernelSize + 1)) + difference[f]
        }
        let units = dense1Bias.count
        let inputs = dense1Kernel.count / units
        let slots = inputs / filters
        var logit = 0.0
        var headTerms = Double(abs(dense2Bias))
        for unit in 0..<units {
            var s = Double(abs(dense1Bias[unit])), shift = 0.0
            for i in 0..<inputs {
                let w = Double(abs(dense1Kernel[i * units + unit]))
                s += w * magnitude[i % filters]
                shift += w * difference[i % filters]
            }
            // Winograd F(4,3) (step 1): an output is Σ_k A_jk·(Σ_f V_k,f·U_k,f) with
            // V = Bᵀd and U = G·g. Expanded, its elementary products are bounded by
            // Σ_k |A_jk|·(Σᵢ |Bᵀ_ki|·M_f)·(Σ_b |G_kb|·|g_b|), for the worst output j of each tap
            // group and for either strand (which reads g0 … g2 in the other order). Each one
            // passes through fewer than F + slots + 16 roundings: at most three in Bᵀd, one for
            // U (computed in Double, rounded once), the product, F − 1 in the dot, at most three
            // in the output transform and one per tap group and bias.
            var winograd = 0.0
            if slots % 3 == 0 {
                for strand in 0..<2 {
                    var total = Double(abs(dense1Bias[unit]))
                    for group in 0..<(slots / 3) {
                        var perOutput = [Double](repeating: 0, count: 4)
                        for f in 0..<filters {
                            let g = (0..<3).map { b -> Double in
                                let slot = FastPath.weightSlot(3 * group + b, slots: slots, reverse: strand == 1)
                                return Double(abs(dense1Kernel[(slot * filters + f) * units + unit]))
                            }
                            for k in 0..<6 {
                                let u = zip(WinogradF43.kernelRows[k], g).reduce(0) { $0 + abs($1.0) * $1.1 }
                                let term = WinogradF43.inputRowSums[k] * magnitude[f] * u
                                for j in 0..<4 { perOutput[j] += abs(WinogradF43.outputRows[j][k]) * term }
                            }
                        }
                        total += perOutput.max() ?? 0
                    }
                    winograd = Swift.max(winograd, total)
                }
            }
            let w2 = Double(abs(dense2Kernel[unit]))
            guard Swift.max(s, winograd, w2 * s) < 1e30 else { return .infinity }
            let fast = Swift.max(gamma(inputs + 1) * s, gamma(filters + slots + 16) * winograd)
            logit += w2 * (shift + gamma(inputs + 1) * s + fast)
            headTerms += w2 * s * (1 + gamma(inputs + 1))
        }
        logit += 2 * gamma(units + 2) * headTerms
        return logit * 1.01 + 1e-6
    }

    /// The logit below which a window's reference probability is certainly under `threshold`.
    ///
    /// The reference probability is `Activation.sigmoid(z_ref)`, within 1e-6 of the true
    /// sigmoid (expf, an add and a divide, each within an ulp). So p_ref ≥ t needs
    /// σ(z_ref) ≥ t − 1e-6, that is z_ref ≥ logit(t − 1e-6); and z_ref ≤ z_fast + error.
    /// A fast logit below logit(t − 1e-6) − error − 1e-4 therefore proves p_ref < t.
    /// −∞ (check every window) when the threshold is 0 or less, or the bound is not finite.
    func logitCut(threshold: Float) -> Float {
        let t = Double(threshold) - 1e-6
        guard t > 0, logitError.isFinite else { return -.infinity }
        let cut = t >= 1 ? Double.infinity : log(t / (1 - t)) - logitError - 1e-4
        return cut.isNaN ? -.infinity : Float(cut).nextDown
    }

    /// The dense-kernel slot that multiplies pooled position p of a window (0 … slots − 1,
    /// in the order the window's pooled rows are read): p on the + strand, slots − 1 − p on
    /// the − strand, whose window reads the positions in reverse.
    @inline(__always)
    static func weightSlot(_ p: Int, slots: Int, reverse: Bool) -> Int {
        reverse ? slots - 1 - p : p
    }
}
