/// An element type of a `.npy` file that blocktop reads (NumPy's numeric dtypes), with its byte order.
public struct NPYDType: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The kind of number, as NumPy's type character names it.
    public enum Kind: Character, Sendable {
        case bool = "b"
        case signed = "i"
        case unsigned = "u"
        case float = "f"
    }

    /// Byte order of elements wider than a byte.
    public enum ByteOrder: Sendable {
        case little, big

        /// The order of the machine blocktop runs on.
        public static let native: ByteOrder = 1.littleEndian == 1 ? .little : .big
    }

    public let kind: Kind
    /// Bytes per element: 1 for bool, 1/2/4/8 for integers, 2/4/8 for floats.
    public let size: Int
    public let byteOrder: ByteOrder

    /// A supported type; nil for a kind and size NumPy has no numeric type for (`f1`, `b2`, `i3` …).
    public init?(kind: Kind, size: Int, byteOrder: ByteOrder = .little) {
        let sizes: [Int] = switch kind {
        case .bool: [1]
        case .signed, .unsigned: [1, 2, 4, 8]
        case .float: [2, 4, 8]
        }
        guard sizes.contains(size) else { return nil }
        self.kind = kind
        self.size = size
        self.byteOrder = size == 1 ? .little : byteOrder
    }

    public static let float64 = NPYDType(kind: .float, size: 8)!
    public static let float32 = NPYDType(kind: .float, size: 4)!
    public static let int32 = NPYDType(kind: .signed, size: 4)!
    public static let int64 = NPYDType(kind: .signed, size: 8)!

    /// NumPy's name: `float64`, `int16`, `uint8`, `bool`.
    public var name: String {
        switch kind {
        case .bool: return "bool"
        case .signed: return "int\(size * 8)"
        case .unsigned: return "uint\(size * 8)"
        case .float: return "float\(size * 8)"
        }
    }

    /// The `descr` of a `.npy` header: `<f8`, `>i2`, `|u1`, `|b1`.
    public var descr: String {
        let order = size == 1 ? "|" : byteOrder == .little ? "<" : ">"
        return "\(order)\(kind.rawValue)\(size)"
    }

    /// The name, with the byte order when it is not the machine's: `float64`, `int32 (big-endian)`.
    public var description: String {
        size > 1 && byteOrder != .native ? "\(name) (\(byteOrder == .little ? "little" : "big")-endian)" : name
    }

    /// Whether elements are float64 in the machine's order, so they can be read straight into a block.
    var isNativeFloat64: Bool { kind == .float && size == 8 && byteOrder == .native }

    /// Why `descr` (a header's `descr` string) cannot be read, or its type.
    static func parse(_ descr: String) -> Result<NPYDType, DescrProblem> {
        var characters = Substring(descr)
        var order = ByteOrder.native
        switch characters.first {
        case "<": order = .little; characters.removeFirst()
        case ">": order = .big; characters.removeFirst()
        case "|", "=": characters.removeFirst()
        default: break
        }
        guard let code = characters.first else { return .failure(.unknown) }
        let size = Int(characters.dropFirst())
        switch code {
        case "b", "i", "u", "f":
            guard let size, let type = NPYDType(kind: Kind(rawValue: code)!, size: size, byteOrder: order) else {
                return .failure(code == "f" && size == 16 ? .unsupported("float128") : .unknown)
            }
            return .success(type)
        case "?": return characters.count == 1 ? .success(NPYDType(kind: .bool, size: 1)!) : .failure(.unknown)
        case "c": return .failure(.unsupported("complex"))
        case "U", "S", "a": return .failure(.unsupported("strings"))
        case "O": return .failure(.unsupported("Python objects"))
        case "V": return .failure(.unsupported("raw bytes or records"))
        case "M", "m": return .failure(.unsupported("dates and times"))
        default: return .failure(.unknown)
        }
    }

    /// Why a `descr` was refused.
    enum DescrProblem: Error {
        /// A NumPy type blocktop does not read, by what it holds.
        case unsupported(String)
        /// Not a type NumPy writes.
        case unknown
    }
}

/// Converting between a file's element type and float64.
extension NPYDType {
    /// Converts `count` elements of this type at `source` (any alignment) to float64 at `destination`.
    func decode(_ source: UnsafeRawPointer, count: Int, into destination: UnsafeMutablePointer<Double>) {
        let swap = byteOrder != .native
        switch (kind, size) {
        case (.bool, _): decodeInteger(UInt8.self, source, count, destination, swap: false) { $0 != 0 ? 1 : 0 }
        case (.signed, 1): decodeInteger(Int8.self, source, count, destination, swap: false) { Double($0) }
        case (.signed, 2): decodeInteger(Int16.self, source, count, destination, swap: swap) { Double($0) }
        case (.signed, 4): decodeInteger(Int32.self, source, count, destination, swap: swap) { Double($0) }
        case (.signed, _): decodeInteger(Int64.self, source, count, destination, swap: swap) { Double($0) }
        case (.unsigned, 1): decodeInteger(UInt8.self, source, count, destination, swap: false) { Double($0) }
        case (.unsigned, 2): decodeInteger(UInt16.self, source, count, destination, swap: swap) { Double($0) }
        case (.unsigned, 4): decodeInteger(UInt32.self, source, count, destination, swap: swap) { Double($0) }
        case (.unsigned, _): decodeInteger(UInt64.self, source, count, destination, swap: swap) { Double($0) }
        case (.float, 2): decodeInteger(UInt16.self, source, count, destination, swap: swap) { Double(Float16(bitPattern: $0)) }
        case (.float, 4): decodeInteger(UInt32.self, source, count, destination, swap: swap) { Double(Float(bitPattern: $0)) }
        case (.float, _): decodeInteger(UInt64.self, source, count, destination, swap: swap) { Double(bitPattern: $0) }
        }
    }

    /// Converts `count` float64 values to this type at `destination`, or says which one cannot be:
    /// NaN or a value out of range into an integer type. Integers take the value truncated toward
    /// zero and bool is `value != 0`, as NumPy's `astype`; float32 and float16 round to nearest,
    /// values past their range becoming infinities, as NumPy does.
    func encode(_ source: UnsafePointer<Double>, count: Int, into destination: UnsafeMutableRawPointer) -> EncodeProblem? {
        let swap = byteOrder != .native
        switch (kind, size) {
        case (.bool, _): return encodeInteger(UInt8.self, source, count, destination, swap: false) { $0 != 0 ? 1 : 0 }
        case (.signed, 1): return encodeChecked(Int8.self, source, count, destination, swap: false)
        case (.signed, 2): return encodeChecked(Int16.self, source, count, destination, swap: swap)
        case (.signed, 4): return encodeChecked(Int32.self, source, count, destination, swap: swap)
        case (.signed, _): return encodeChecked(Int64.self, source, count, destination, swap: swap)
        case (.unsigned, 1): return encodeChecked(UInt8.self, source, count, destination, swap: false)
        case (.unsigned, 2): return encodeChecked(UInt16.self, source, count, destination, swap: swap)
        case (.unsigned, 4): return encodeChecked(UInt32.self, source, count, destination, swap: swap)
        case (.unsigned, _): return encodeChecked(UInt64.self, source, count, destination, swap: swap)
        case (.float, 2): return encodeInteger(UInt16.self, source, count, destination, swap: swap) { Float16($0).bitPattern }
        case (.float, 4): return encodeInteger(UInt32.self, source, count, destination, swap: swap) { Float($0).bitPattern }
        case (.float, _): return encodeInteger(UInt64.self, source, count, destination, swap: swap) { $0.bitPattern }
        }
    }

    /// A value that does not fit the type it is written as: its position among those converted.
    struct EncodeProblem: Error {
        let position: Int
        let value: Double
    }
}

@inline(__always)
private func decodeInteger<T: FixedWidthInteger>(
    _: T.Type, _ source: UnsafeRawPointer, _ count: Int, _ destination: UnsafeMutablePointer<Double>,
    swap: Bool, _ convert: (T) -> Double
) {
    let stride = MemoryLayout<T>.size
    if swap {
        for i in 0..<count { destination[i] = convert(source.loadUnaligned(fromByteOffset: i * stride, as: T.self).byteSwapped) }
    } else {
        for i in 0..<count { destination[i] = convert(source.loadUnaligned(fromByteOffset: i * stride, as: T.self)) }
    }
}

@inline(__always)
private func encodeInteger<T: FixedWidthInteger>(
    _: T.Type, _ source: UnsafePointer<Double>, _ count: Int, _ destination: UnsafeMutableRawPointer,
    swap: Bool, _ convert: (Double) -> T
) -> NPYDType.EncodeProblem? {
    let stride = MemoryLayout<T>.size
    for i in 0..<count {
        let value = convert(source[i])
        destination.storeBytes(of: swap ? value.byteSwapped : value, toByteOffset: i * stride, as: T.self)
    }
    return nil
}

/// Integer types: NaN and values whose truncation is out of range are refused.
@inline(__always)
private func encodeChecked<T: FixedWidthInteger>(
    _: T.Type, _ source: UnsafePointer<Double>, _ count: Int, _ destination: UnsafeMutableRawPointer, swap: Bool
) -> NPYDType.EncodeProblem? {
    let stride = MemoryLayout<T>.size
    for i in 0..<count {
        guard let value = T(exactly: source[i].rounded(.towardZero)) else {
            return NPYDType.EncodeProblem(position: i, value: source[i])
        }
        destination.storeBytes(of: swap ? value.byteSwapped : value, toByteOffset: i * stride, as: T.self)
    }
    return nil
}
