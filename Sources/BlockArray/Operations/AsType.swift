/// A value that `astype` cannot convert: NaN, an infinity, or out of an integer type's range.
public struct ElementConversionError: Error, CustomStringConvertible, Sendable {
    public let value: Double
    public let type: ElementType
    /// Global coordinates of the element.
    public let index: [Int]
    /// The block of the converted array that holds it.
    public let block: [Int]

    public var description: String {
        "astype(\(type.rawValue)): block \(block): element \(index) is \(value.isNaN ? "NaN" : "\(value)"), which \(type.rawValue) cannot hold"
    }
}

extension BlockArray {
    /// The values as `type` would hold them, as NumPy's `astype` (the blocks stay float64): see
    /// `ElementType.convert`. A value an integer type cannot hold fails its block's task with an
    /// `ElementConversionError` naming the element, as `checkFinite` does.
    public func astype(_ type: ElementType) -> BlockArray {
        if type == .float64 { return self }
        let source = self, chunks = self.chunks, counts = chunks.blockCounts
        let name = token("astype", [type.rawValue, self.name])
        return BlockArray(name: name, chunks: chunks, layer: .taskSets(inputs: [self]) {
            [.grid(GridTasks(
                name: name, operation: "astype", blockCounts: counts, inputs: [GridTasks.Input(source)],
                flops: { Double(chunks.blockElementCount(at: $0)) },
                outputBytes: { chunks.blockElementCount(at: $0) * MemoryLayout<Double>.stride }
            ) { local, blocks in
                var block = blocks[0]
                guard let position = type.convert(&block) else { return block }
                let index = unravel(local, counts)
                throw ElementConversionError(
                    value: block.storage[position], type: type,
                    index: globalIndex(ofElement: position, inBlockOf: block.shape, at: chunks.blockOffset(index)), block: index)
            })]
        })
    }
}
