import Foundation

/// Philox4x32-10, the counter-based generator of Salmon et al. (SC'11, "Random123").
///
/// Output depends only on (key, counter): element `i` of a random array is a
/// pure function of the seed and `i`, so every chunking yields the same values.
package struct Philox4x32: Sendable {
    package let key: (UInt32, UInt32)

    package init(seed: UInt64) {
        key = (UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
    }

    /// The four 32-bit outputs for one 128-bit counter.
    @inline(__always)
    package func block(_ counter: (UInt32, UInt32, UInt32, UInt32)) -> (UInt32, UInt32, UInt32, UInt32) {
        var (c0, c1, c2, c3) = counter
        var (k0, k1) = key
        for round in 0..<10 {
            if round > 0 {
                k0 &+= 0x9E37_79B9
                k1 &+= 0xBB67_AE85
            }
            let p0 = UInt64(0xD251_1F53) &* UInt64(c0)
            let p1 = UInt64(0xCD9E_8D57) &* UInt64(c2)
            let hi0 = UInt32(truncatingIfNeeded: p0 >> 32), lo0 = UInt32(truncatingIfNeeded: p0)
            let hi1 = UInt32(truncatingIfNeeded: p1 >> 32), lo1 = UInt32(truncatingIfNeeded: p1)
            (c0, c1, c2, c3) = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0)
        }
        return (c0, c1, c2, c3)
    }
}

/// Which stream of the generator a creation routine draws from, kept in
/// counter word 2 so `random` and `normal` with one seed are independent.
package enum RandomStream: UInt32 {
    case uniform = 0
    case normal = 1
}

/// A double in [0, 1) from the top 53 bits of two 32-bit words.
@inline(__always)
package func unitDouble(_ high: UInt32, _ low: UInt32) -> Double {
    let bits = (UInt64(high) << 32 | UInt64(low)) >> 11
    return Double(bits) * 0x1p-53
}

extension Philox4x32 {
    /// Uniform [0, 1) values of global elements `start ..< start + count` into `out`.
    ///
    /// Counter `p` yields elements `2p` and `2p + 1` (words 0–1 and 2–3). Runs of
    /// whole pairs go through `fillPairs`, eight counters at a time; the ends, one at a time.
    package func fillUniform(start: Int, count: Int, into out: UnsafeMutablePointer<Double>) {
        var element = start
        let end = start + count
        var written = 0
        if element % 2 == 1 && element < end {
            out[0] = uniform(pair: UInt64(element / 2)).second
            written = 1
            element += 1
        }
        let pairs = (end - element) / 2
        if pairs > 0 {
            fillPairs(firstPair: UInt64(element / 2), count: pairs, into: out + written)
            written += 2 * pairs
            element += 2 * pairs
        }
        if element < end {
            out[written] = uniform(pair: UInt64(element / 2)).first
        }
    }

    /// The two uniforms of counter `pair`.
    @inline(__always)
    private func uniform(pair: UInt64) -> (first: Double, second: Double) {
        let r = block((UInt32(truncatingIfNeeded: pair), UInt32(truncatingIfNeeded: pair >> 32),
                       RandomStream.uniform.rawValue, 0))
        return (unitDouble(r.0, r.1), unitDouble(r.2, r.3))
    }

    /// Both uniforms of counters `firstPair ..< firstPair + count`, in element order.
    ///
    /// Four counters go through the ten rounds interleaved (the same arithmetic as
    /// `block`, so the values are identical): their multiplies are independent, so
    /// the processor overlaps them instead of waiting on one chain.
    private func fillPairs(firstPair: UInt64, count: Int, into out: UnsafeMutablePointer<Double>) {
        var done = 0
        while count - done >= 4 {
            let pair = firstPair + UInt64(done)
            var a = counter(pair), b = counter(pair + 1), c = counter(pair + 2), d = counter(pair + 3)
            var (k0, k1) = key
            for round in 0..<10 {
                if round > 0 {
                    k0 &+= 0x9E37_79B9
                    k1 &+= 0xBB67_AE85
                }
                a = Self.round(a, k0, k1)
                b = Self.round(b, k0, k1)
                c = Self.round(c, k0, k1)
                d = Self.round(d, k0, k1)
            }
            let target = out + 2 * done
            (target[0], target[1]) = (unitDouble(a.0, a.1), unitDouble(a.2, a.3))
            (target[2], target[3]) = (unitDouble(b.0, b.1), unitDouble(b.2, b.3))
            (target[4], target[5]) = (unitDouble(c.0, c.1), unitDouble(c.2, c.3))
            (target[6], target[7]) = (unitDouble(d.0, d.1), unitDouble(d.2, d.3))
            done += 4
        }
        while done < count {
            let (first, second) = uniform(pair: firstPair + UInt64(done))
            out[2 * done] = first
            out[2 * done + 1] = second
            done += 1
        }
    }

    @inline(__always)
    private func counter(_ pair: UInt64) -> (UInt32, UInt32, UInt32, UInt32) {
        (UInt32(truncatingIfNeeded: pair), UInt32(truncatingIfNeeded: pair >> 32), RandomStream.uniform.rawValue, 0)
    }

    /// One Philox round with round key (k0, k1).
    @inline(__always)
    private static func round(_ c: (UInt32, UInt32, UInt32, UInt32), _ k0: UInt32, _ k1: UInt32) -> (UInt32, UInt32, UInt32, UInt32) {
        let p0 = UInt64(0xD251_1F53) &* UInt64(c.0)
        let p1 = UInt64(0xCD9E_8D57) &* UInt64(c.2)
        return (UInt32(truncatingIfNeeded: p1 >> 32) ^ c.1 ^ k0, UInt32(truncatingIfNeeded: p1),
                UInt32(truncatingIfNeeded: p0 >> 32) ^ c.3 ^ k1, UInt32(truncatingIfNeeded: p0))
    }

    /// Standard normal values of global elements `start ..< start + count` into `out`.
    ///
    /// One counter per element; Box–Muller on its two uniforms (the cosine branch).
    package func fillNormal(start: Int, count: Int, into out: UnsafeMutablePointer<Double>) {
        for offset in 0..<count {
            let element = UInt64(start + offset)
            let r = block((UInt32(truncatingIfNeeded: element), UInt32(truncatingIfNeeded: element >> 32),
                           RandomStream.normal.rawValue, 0))
            let u1 = 1.0 - unitDouble(r.0, r.1)  // (0, 1]: log stays finite
            let u2 = unitDouble(r.2, r.3)
            out[offset] = (-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2)
        }
    }
}
