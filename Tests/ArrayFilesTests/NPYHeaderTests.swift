import ArrayFiles
import Testing

@Suite struct NPYHeaderTests {
    @Test func encodedHeadersParseBack() throws {
        for shape in [[], [5], [3, 4], [2, 3, 4]] as [[Int]] {
            for dtype in [NPYDType.float64, .float32, .int32, .int64, NPYDType(kind: .unsigned, size: 2, byteOrder: .big)!] {
                let bytes = NPYHeader.encode(shape: shape, dtype: dtype)
                #expect(bytes.count % 64 == 0)
                let header = try NPYHeader.parse(bytes)
                #expect(header.shape == shape)
                #expect(header.dtype == dtype)
                #expect(header.fortranOrder == false)
                #expect(header.dataOffset == bytes.count)
                #expect(header.version == 1)
            }
        }
    }
}
