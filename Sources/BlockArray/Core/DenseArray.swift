/// An in-memory n-dimensional array of Float64 in row-major order.
///
/// The value type of a block, and what `compute()` returns. A 0-dimensional
/// array (shape `[]`) holds one scalar.
public struct DenseArray: Sendable, Equatable, CustomStringConvertible {
    public private(set) var shape: [Int]
    /// The elements in row-major order.
    public var storage: [Double]

    /// An array of `shape` holding `storage` in row-major order.
    public init(shape: [Int], storage: [Double]) throws {
        try validate(shape: shape)
        try Limits.checkElements(shape)
        guard storage.count == elementCount(shape) else {
            throw BlockArrayError.invalidArgument(
                operation: "DenseArray",
                message: "shape \(shape) needs \(elementCount(shape)) elements, got \(storage.count)")
        }
        self.shape = shape
        self.storage = storage
    }

    /// An array of `shape` with every element `value`.
    public init(shape: [Int], repeating value: Double) {
        self.shape = shape
        self.storage = Array(repeating: value, count: elementCount(shape))
    }

    /// A 0-dimensional array holding `value`.
    public init(scalar value: Double) {
        self.shape = []
        self.storage = [value]
    }

    /// Trusted initializer for kernels that already sized `storage`.
    package init(uncheckedShape shape: [Int], storage: [Double]) {
        self.shape = shape
        self.storage = storage
    }

    public var rank: Int { shape.count }
    public var count: Int { storage.count }
    /// Bytes of element storage.
    public var byteCount: Int { storage.count * MemoryLayout<Double>.stride }
    /// Row-major strides in elements.
    public var strides: [Int] { rowMajorStrides(shape) }

    /// The single element of a one-element array (a scalar result).
    public var scalar: Double? { storage.count == 1 ? storage[0] : nil }

    /// The element at a full multi-index.
    public subscript(index: [Int]) -> Double {
        get { storage[flatOffset(index)] }
        set { storage[flatOffset(index)] = newValue }
    }

    private func flatOffset(_ index: [Int]) -> Int {
        precondition(index.count == shape.count, "index \(index) does not match shape \(shape)")
        var offset = 0
        for axis in 0..<shape.count {
            precondition(index[axis] >= 0 && index[axis] < shape[axis], "index \(index) out of bounds for shape \(shape)")
            offset = offset * shape[axis] + index[axis]
        }
        return offset
    }

    /// The same elements under another shape of equal element count.
    package func reshaped(_ newShape: [Int]) -> DenseArray {
        precondition(elementCount(newShape) == storage.count, "cannot reshape \(shape) to \(newShape)")
        return DenseArray(uncheckedShape: newShape, storage: storage)
    }

    public var description: String {
        if shape.isEmpty { return "\(storage[0])" }
        return "DenseArray(shape: \(shape), \(storage.count <= 16 ? "\(storage)" : "\(storage.prefix(16))…"))"
    }
}
