import CMath
import Foundation

/// Sine and cosine over arrays, written as straight-line arithmetic per element so the
/// compiler vectorises the loop: the argument is reduced by the nearest multiple of π/2
/// (Cody–Waite, π/2 in three parts), then fdlibm's minimax polynomials on [−π/4, π/4]
/// give sin and cos of the remainder, and the quadrant picks and signs them. Within
/// `reducedRange` the results are within about one ulp of libm's; outside it (and for
/// NaN and infinities) the element is handed to libm's `sincos`.
package enum VectorSinCos {
    /// Largest |x| reduced here: k·(π/2 part) stays exact for |k| < 2^20.
    static let reducedRange = 1.0e5

    /// `sine[k] = sin(x[k])` and `cosine[k] = cos(x[k])` for `count` elements; either output may be nil.
    @inline(__always)
    package static func evaluate(_ x: UnsafePointer<Double>, sine: UnsafeMutablePointer<Double>?,
                         cosine: UnsafeMutablePointer<Double>?, count: Int) {
        for k in 0..<count {
            let (s, c) = reduced(x[k])
            sine?[k] = s
            cosine?[k] = c
        }
        for k in 0..<count where !(Swift.abs(x[k]) <= reducedRange) {
            var s = 0.0, c = 0.0
            blocktop_sincos(x[k], &s, &c)
            sine?[k] = s
            cosine?[k] = c
        }
    }

    /// sin and cos of `x`, for |x| ≤ `reducedRange`.
    @inline(__always)
    static func reduced(_ x: Double) -> (sine: Double, cosine: Double) {
        // k = round(x · 2/π); adding 1.5·2^52 rounds to an integer held in the low mantissa bits.
        let shifter = 0x1.8p52
        let shifted = x * 0.636_619_772_367_581_382_43 + shifter
        let k = shifted - shifter
        let quadrant = shifted.bitPattern & 3
        // π/2 = p1 + p2 + p3, the first two of 33 significant bits, so k·p1 and k·p2 are
        // exact; the remainder is kept as r + tail, the tail holding what rounding r dropped.
        let head = x - k * 1.570_796_326_734_125_614_17
        let middle = k * 6.077_100_506_303_965_976_60e-11
        let partial = head - middle
        let low = k * 2.022_266_248_795_950_631_54e-21
        let r = partial - low
        let tail = ((partial - r) - low) + ((head - partial) - middle)
        let z = r * r
        let sinePolynomial = -1.666_666_666_666_663_243_48e-01 + z * (8.333_333_333_322_489_461_24e-03
            + z * (-1.984_126_982_985_794_931_34e-04 + z * (2.755_731_370_707_006_767_89e-06
            + z * (-2.505_076_025_340_686_341_95e-08 + z * 1.589_690_995_211_550_102_21e-10))))
        // sin(r + tail) ≈ sin r + tail·cos r, and cos(r + tail) ≈ cos r − tail·sin r.
        let s = z == 0 ? r : r + (r * z * sinePolynomial + tail * (1 - 0.5 * z))  // z == 0 keeps sin(−0) = −0
        let cosinePolynomial = 4.166_666_666_666_660_190_37e-02 + z * (-1.388_888_888_887_410_957_49e-03
            + z * (2.480_158_728_947_672_941_78e-05 + z * (-2.755_731_435_139_066_330_35e-07
            + z * (2.087_572_321_298_174_827_90e-09 + z * -1.135_964_755_778_819_482_65e-11))))
        let half = 0.5 * z
        let w = 1.0 - half
        let c = w + (((1.0 - w) - half) + (z * z * cosinePolynomial - tail * r))
        // Quadrant q: sin x = s, c, −s, −c and cos x = c, −s, −c, s.
        let swapped = quadrant & 1 != 0
        let sine = Double(bitPattern: (swapped ? c : s).bitPattern ^ ((quadrant & 2) << 62))
        let cosine = Double(bitPattern: (swapped ? s : c).bitPattern ^ (((quadrant &+ 1) & 2) << 62))
        return (sine, cosine)
    }
}
