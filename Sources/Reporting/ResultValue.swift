import BlockArray
import BlocktopSupport

/// How reports show a computed array: whole up to `RunReport.largestListedResult` elements,
/// else its shape and the min, max and mean of its elements that are not NaN.
enum ResultValue {
    /// A scalar as a number, an array as nested lists.
    static func json(_ value: DenseArray) -> JSON {
        value.count == 1 ? .number(value.storage[0]) : nested(value.storage[...], value.shape[...])
    }

    /// Shape, min, max and mean over the elements of `blocks` that are not NaN.
    static func statistics(shape: [Int], blocks: [DenseArray]) -> JSON {
        var minimum = Double.infinity, maximum = -Double.infinity, total = 0.0, count = 0
        for block in blocks {
            for element in block.storage where !element.isNaN {
                minimum = Swift.min(minimum, element)
                maximum = Swift.max(maximum, element)
                total += element
                count += 1
            }
        }
        return .object([
            ("shape", .array(shape.map { .number(Double($0)) })),
            ("min", .number(count > 0 ? minimum : .nan)),
            ("max", .number(count > 0 ? maximum : .nan)),
            ("mean", .number(count > 0 ? total / Double(count) : .nan)),
        ])
    }

    /// A scalar, or the shape and first elements of an array, for the text report.
    static func text(_ value: DenseArray) -> String {
        if value.count == 1 { return "\(value.storage[0])" }
        return "array of shape \(value.shape): " + JSON.array(value.storage.prefix(6).map { .number($0) }).serialized()
            + (value.count > 6 ? " …" : "")
    }

    /// `2500×300 in 3×1 blocks of up to 1000×300`, or `… in one block`.
    static func blocks(_ chunks: Chunks) -> String {
        func shape(_ numbers: [Int]) -> String { numbers.map(String.init).joined(separator: "×") }
        let counts = chunks.sizes.map(\.count)
        guard counts.reduce(1, *) != 1 else { return "\(shape(chunks.shape)) in one block" }
        return "\(shape(chunks.shape)) in \(shape(counts)) blocks of up to \(shape(chunks.sizes.map { $0.max() ?? 0 }))"
    }

    private static func nested(_ values: ArraySlice<Double>, _ shape: ArraySlice<Int>) -> JSON {
        guard let extent = shape.first else { return .number(values.first ?? .nan) }
        let inner = shape.dropFirst().reduce(1, *)
        return .array((0..<extent).map { i in
            let start = values.startIndex + i * inner
            return nested(values[start..<(start + inner)], shape.dropFirst())
        })
    }
}
