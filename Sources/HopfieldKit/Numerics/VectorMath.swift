#if arch(x86_64) && os(Linux)
import CMathVector
#endif
import Foundation

/// y_k = f(x_k), k < count, for f = tanh, exp, expm1, log1p, log, erfc, with glibc's vector math library
/// (libmvec, `Sources/CMathVector`) where the build's target has AVX-512 or AVX2 (x86-64 Linux),
/// else libm's scalar function. libmvec's variants are accurate to a few ulp (not always the same
/// last bit as libm's). Within one build every element gets the same function whatever its position
/// (the last block is padded, not finished by the scalar one), so a result does not depend on where
/// in an array a value sits; builds for different instruction sets may differ in the last bits.
/// `x` and `y` may be the same buffer.
enum VectorMath {
    typealias Input = UnsafePointer<Double>
    typealias Output = UnsafeMutablePointer<Double>

    #if arch(x86_64) && os(Linux) && HOPSIM_AVX512
    static func tanh(_ x: Input, _ y: Output, _ count: Int) { hopsim_tanh_avx512(x, y, count) }
    static func exp(_ x: Input, _ y: Output, _ count: Int) { hopsim_exp_avx512(x, y, count) }
    static func expm1(_ x: Input, _ y: Output, _ count: Int) { hopsim_expm1_avx512(x, y, count) }
    static func log1p(_ x: Input, _ y: Output, _ count: Int) { hopsim_log1p_avx512(x, y, count) }
    static func log(_ x: Input, _ y: Output, _ count: Int) { hopsim_log_avx512(x, y, count) }
    static func erfc(_ x: Input, _ y: Output, _ count: Int) { hopsim_erfc_avx512(x, y, count) }
    #elseif arch(x86_64) && os(Linux) && HOPSIM_AVX2
    static func tanh(_ x: Input, _ y: Output, _ count: Int) { hopsim_tanh_avx2(x, y, count) }
    static func exp(_ x: Input, _ y: Output, _ count: Int) { hopsim_exp_avx2(x, y, count) }
    static func expm1(_ x: Input, _ y: Output, _ count: Int) { hopsim_expm1_avx2(x, y, count) }
    static func log1p(_ x: Input, _ y: Output, _ count: Int) { hopsim_log1p_avx2(x, y, count) }
    static func log(_ x: Input, _ y: Output, _ count: Int) { hopsim_log_avx2(x, y, count) }
    static func erfc(_ x: Input, _ y: Output, _ count: Int) { hopsim_erfc_avx2(x, y, count) }
    #else
    static func tanh(_ x: Input, _ y: Output, _ count: Int) { for k in 0..<count { y[k] = Foundation.tanh(x[k]) } }
    static func exp(_ x: Input, _ y: Output, _ count: Int) { for k in 0..<count { y[k] = Foundation.exp(x[k]) } }
    static func expm1(_ x: Input, _ y: Output, _ count: Int) { for k in 0..<count { y[k] = Foundation.expm1(x[k]) } }
    static func log1p(_ x: Input, _ y: Output, _ count: Int) { for k in 0..<count { y[k] = Foundation.log1p(x[k]) } }
    static func log(_ x: Input, _ y: Output, _ count: Int) { for k in 0..<count { y[k] = Foundation.log(x[k]) } }
    static func erfc(_ x: Input, _ y: Output, _ count: Int) { for k in 0..<count { y[k] = Foundation.erfc(x[k]) } }
    #endif
}
