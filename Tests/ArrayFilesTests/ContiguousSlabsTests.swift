import ArrayFiles
import BlockArray
import Testing

/// The default blocks of a file stored in one piece: contiguous slabs of a bounded size.
@Suite struct ContiguousSlabsTests {
    @Test func cOrderTakesWholeRowsAndSplitsTheFirstAxisThatDoesNotFit() {
        #expect(contiguousSlabs(shape: [16384, 8192]) == [128, 8192])
        #expect(contiguousSlabs(shape: [100, 2000, 2000]) == [1, 524, 2000])
        #expect(contiguousSlabs(shape: [3, 4]) == [3, 4])
        #expect(contiguousSlabs(shape: [5_000_000]) == [1 << 20])
        #expect(contiguousSlabs(shape: []) == [])
    }

    @Test func fortranOrderTakesWholeColumns() {
        #expect(contiguousSlabs(shape: [8192, 16384], fortranOrder: true) == [8192, 128])
        #expect(contiguousSlabs(shape: [10, 10, 10], fortranOrder: true, targetElements: 150) == [10, 10, 1])
    }

    @Test func aRowLargerThanTheTargetIsSplitAlongItself() {
        #expect(contiguousSlabs(shape: [4, 3_000_000]) == [1, 1 << 20])
    }

    @Test func everySlabIsAValidChunkingEvenWithAnEmptyAxis() throws {
        for shape in [[0, 5], [7, 0], [0]] {
            let chunks = try Chunks(shape: shape, spec: .perAxis(contiguousSlabs(shape: shape)))
            #expect(chunks.sizes.count == shape.count, "\(shape)")
        }
    }
}
