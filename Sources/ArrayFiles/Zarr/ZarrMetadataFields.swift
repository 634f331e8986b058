import BlocktopSupport

/// Reading the fields both formats share out of a metadata document.
extension JSON {
    /// The member `key` as a list of whole numbers (a shape); throws naming the key otherwise.
    func extents(_ key: String) throws(ZarrMetadataError) -> [Int] {
        guard let items = self[key]?.array else {
            throw ZarrMetadataError("its '\(key)' is \(self[key]?.brief ?? "missing"), not a list of whole numbers")
        }
        var extents: [Int] = []
        for item in items {
            guard let extent = item.integer else { throw ZarrMetadataError("its '\(key)' has \(item.brief), not a whole number") }
            extents.append(extent)
        }
        return extents
    }

    /// The member `key`, which must be a string (`required`) or may be missing.
    func text(_ key: String, required: Bool = true) throws(ZarrMetadataError) -> String? {
        switch self[key] {
        case .string(let text): return text
        case nil where !required, .null? where !required: return nil
        case let other: throw ZarrMetadataError("its '\(key)' is \(other?.brief ?? "missing"), not a string")
        }
    }

    /// The fill value this holds for elements of `dtype`: a number, `true`/`false`, `"NaN"`,
    /// `"Infinity"`, `"-Infinity"`, or (Zarr 3, floats) the bits as `"0x…"`; null is 0.
    func fillValue(for dtype: NPYDType) throws(ZarrMetadataError) -> Double {
        switch self {
        case .null: return 0
        case .bool(let flag): return flag ? 1 : 0
        case .integer(let value): return Double(value)
        case .number(let value): return value
        case .string("NaN"): return .nan
        case .string("Infinity"): return .infinity
        case .string("-Infinity"): return -.infinity
        case .string(let text) where dtype.kind == .float && text.hasPrefix("0x") && text.count == 2 + 2 * dtype.size:
            guard let bits = UInt64(text.dropFirst(2), radix: 16) else { break }
            switch dtype.size {
            case 2: return Double(Float16(bitPattern: UInt16(bits)))
            case 4: return Double(Float(bitPattern: UInt32(bits)))
            default: return Double(bitPattern: bits)
            }
        default: break
        }
        throw ZarrMetadataError("its fill value \(brief) is not a \(dtype.name)")
    }
}
