import BlockArray
import Testing

/// The classic demo at full size: x = random((10000, 10000), chunks=1000); (x @ x.T).sum().
@Suite struct SeedDemoTests {
    @Test func fullSizeDemoLandsOnItsExpectation() throws {
        let n = 10_000
        let x = try BlockArray.random([n, n], chunks: 1_000, seed: 0)
        let total = try x.matmul(x.T).sum()
        // E[Σ_k (Σ_i x_ik)²] = n (n²/4 + n/12); the spread is about 1.2/n relative.
        let expected = Double(n) * (Double(n) * Double(n) / 4 + Double(n) / 12)
        let value = try total.computeScalar()
        #expect(abs(value - expected) / expected < 1e-3)
    }
}
