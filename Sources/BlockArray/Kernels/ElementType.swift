/// A NumPy element type that `astype` converts to. Blocks stay float64, so a conversion keeps
/// of each value what that type would hold.
public enum ElementType: String, Sendable, Hashable, CaseIterable {
    case float64, float32, float16
    case int8, int16, int32, int64
    case uint8, uint16, uint32, uint64
    case bool

    /// `value` as this type holds it, back in a float64: floats round to nearest (past their range
    /// to an infinity), integers truncate toward zero, bool is 1 for any non-zero value (NaN too).
    /// Nil where an integer type cannot hold the value: NaN, an infinity, or out of its range.
    @inline(__always)
    package func convert(_ value: Double) -> Double? {
        switch self {
        case .float64: return value
        case .float32: return Double(Float(value))
        case .float16: return Double(Float16(value))
        case .bool: return value != 0 ? 1 : 0
        // The bounds are powers of two, exact in a float64.
        case .int8: return truncated(value, within: -0x1p7..<0x1p7)
        case .int16: return truncated(value, within: -0x1p15..<0x1p15)
        case .int32: return truncated(value, within: -0x1p31..<0x1p31)
        case .int64: return truncated(value, within: -0x1p63..<0x1p63)
        case .uint8: return truncated(value, within: 0..<0x1p8)
        case .uint16: return truncated(value, within: 0..<0x1p16)
        case .uint32: return truncated(value, within: 0..<0x1p32)
        case .uint64: return truncated(value, within: 0..<0x1p64)
        }
    }

    /// Converts `block` in place; returns the position of the first element this type cannot
    /// hold, which is left as it was (those before it are converted), or nil.
    package func convert(_ block: inout DenseArray) -> Int? {
        block.storage.withUnsafeMutableBufferPointer { values in
            for position in values.indices {
                guard let converted = convert(values[position]) else { return position }
                values[position] = converted
            }
            return nil
        }
    }
}

/// `value` truncated toward zero, or nil when that is outside `range` (NaN and infinities are).
@inline(__always)
private func truncated(_ value: Double, within range: Range<Double>) -> Double? {
    let whole = value.rounded(.towardZero)
    guard range.contains(whole) else { return nil }
    // + 0 turns the -0 of a small negative value into the 0 an integer holds.
    return whole + 0
}
