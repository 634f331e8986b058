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

/// A double in [0, 1) from the top 53 bits of two 32-bit words, made without a 64-bit
/// integer conversion (which vector units lack, so batch loops vectorise): the bits as
/// 21 high and 32 low, each placed in the mantissa of 2^52 and 2^52 taken away, exactly.
@inline(__always)
package func unitDouble(_ high: UInt32, _ low: UInt32) -> Double {
    let top = UInt64(high >> 11), bottom = UInt64(high << 21 | low >> 11)
    let topValue = Double(bitPattern: 0x4330_0000_0000_0000 | top) - 0x1p52
    let bottomValue = Double(bitPattern: 0x4330_0000_0000_0000 | bottom) - 0x1p52
    return (topValue * 0x1p32 + bottomValue) * 0x1p-53
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
    /// Counters go through the rounds in batches of `batch`, each word in its own
    /// array, one round for the whole batch at a time: every loop is the same
    /// arithmetic on independent lanes, which the compiler turns into vector
    /// multiplies. The values are identical to `block`'s; the rest go one at a time.
    private func fillPairs(firstPair: UInt64, count: Int, into out: UnsafeMutablePointer<Double>) {
        let batch = 32
        var done = 0
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 4 * batch) { words in
            let c0 = words.baseAddress!, c1 = c0 + batch, c2 = c1 + batch, c3 = c2 + batch
            while count - done >= batch {
                let first = firstPair + UInt64(done)
                for i in 0..<batch {
                    let pair = first &+ UInt64(i)
                    c0[i] = UInt32(truncatingIfNeeded: pair)
                    c1[i] = UInt32(truncatingIfNeeded: pair >> 32)
                    c2[i] = RandomStream.uniform.rawValue
                    c3[i] = 0
                }
                var (k0, k1) = key
                for round in 0..<10 {
                    if round > 0 {
                        k0 &+= 0x9E37_79B9
                        k1 &+= 0xBB67_AE85
                    }
                    for i in 0..<batch {
                        let p0 = UInt64(0xD251_1F53) &* UInt64(c0[i])
                        let p1 = UInt64(0xCD9E_8D57) &* UInt64(c2[i])
                        let next0 = UInt32(truncatingIfNeeded: p1 >> 32) ^ c1[i] ^ k0
                        let next2 = UInt32(truncatingIfNeeded: p0 >> 32) ^ c3[i] ^ k1
                        c1[i] = UInt32(truncatingIfNeeded: p1)
                        c3[i] = UInt32(truncatingIfNeeded: p0)
                        c0[i] = next0
                        c2[i] = next2
                    }
                }
                let target = out + 2 * done
                for i in 0..<batch {
                    target[2 * i] = unitDouble(c0[i], c1[i])
                    target[2 * i + 1] = unitDouble(c2[i], c3[i])
                }
                done += batch
            }
        }
        while done < count {
            let (first, second) = uniform(pair: firstPair + UInt64(done))
            out[2 * done] = first
            out[2 * done + 1] = second
            done += 1
        }
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
