import BlockArray
import Foundation
import Testing

/// The vectorised sine and cosine against libm.
@Suite struct VectorSinCosTests {
    /// Inputs across the reduced range and beyond: small, near multiples of π/2, large,
    /// signed zeros, subnormals, and values libm must handle (huge, infinite, NaN).
    static let inputs: [Double] = {
        var values: [Double] = [0, -0.0, 1e-310, -1e-310, 1e-8, 0.5, 1, 2, 3, 4, 5, 6, 7, 1e5, -1e5, 1e5 + 1,
                                1e300, -1e300, .infinity, -.infinity, .nan, .pi, -.pi, .pi / 2, .pi / 4]
        for k in -2_000...2_000 { values.append(Double(k) * .pi / 2) }
        // Fixed, evenly spread points (fractional parts of multiples of the golden ratio).
        let spread = (1...40_000).map { (Double($0) * 0.618_033_988_749_894_9).truncatingRemainder(dividingBy: 1) * 2 - 1 }
        values += spread.prefix(20_000) + spread.suffix(20_000).map { $0 * 100_000 }
        return values
    }()

    @Test func agreesWithLibmToAnUlp() {
        let x = Self.inputs
        var sine = [Double](repeating: 0, count: x.count), cosine = sine
        sine.withUnsafeMutableBufferPointer { s in
            cosine.withUnsafeMutableBufferPointer { c in
                VectorSinCos.evaluate(x, sine: s.baseAddress, cosine: c.baseAddress, count: x.count)
            }
        }
        for (k, value) in x.enumerated() {
            for (got, expected) in [(sine[k], Foundation.sin(value)), (cosine[k], Foundation.cos(value))] {
                if expected.isNaN { #expect(got.isNaN, "\(value)"); continue }
                // In ulps of the larger of the result and 2^-60 (results near a zero of sin or cos).
                let error = Swift.abs(got - expected) / Swift.max(expected.magnitude, 0x1p-60).ulp
                #expect(error <= 1, "\(value): \(got) vs \(expected)")
            }
        }
        #expect(sine[1].sign == .minus && sine[1] == 0)
    }

    @Test func eitherOutputAlone() {
        let x = [0.3, -2.5, 1e6]
        var only = [Double](repeating: 0, count: 3)
        only.withUnsafeMutableBufferPointer { VectorSinCos.evaluate(x, sine: nil, cosine: $0.baseAddress, count: 3) }
        #expect(zip(only, x.map(Foundation.cos)).allSatisfy { Swift.abs($0 - $1) <= 2 * $1.magnitude.ulp })
    }
}
