import FoundationEssentials

/// A value of a JSON document, as Zarr's metadata files (`.zarray`, `zarr.json`) hold them.
enum JSONValue: Decodable, Equatable, Sendable {
    case null
    case bool(Bool)
    /// A number written without a fraction or exponent that fits an `Int`.
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer()
        if value.decodeNil() {
            self = .null
        } else if let flag = try? value.decode(Bool.self) {
            self = .bool(flag)
        } else if let whole = try? value.decode(Int.self) {
            self = .integer(whole)
        } else if let number = try? value.decode(Double.self) {
            self = .number(number)
        } else if let text = try? value.decode(String.self) {
            self = .string(text)
        } else if let items = try? value.decode([JSONValue].self) {
            self = .array(items)
        } else {
            self = .object(try value.decode([String: JSONValue].self))
        }
    }

    /// The document in `bytes`, or nil when they are not JSON.
    static func parse(_ bytes: [UInt8]) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    /// The member `key` of an object (nil for a missing key or another kind of value).
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    /// The value as a whole number, when it is one.
    var integer: Int? {
        switch self {
        case .integer(let value): return value
        case .number(let value) where value == value.rounded() && abs(value) < 0x1p62: return Int(value)
        default: return nil
        }
    }

    var string: String? {
        guard case .string(let text) = self else { return nil }
        return text
    }

    var array: [JSONValue]? {
        guard case .array(let items) = self else { return nil }
        return items
    }

    /// The value, shortened for a message: `"blosc"`, `[2, 3]`, `{…}`.
    var brief: String {
        switch self {
        case .null: return "null"
        case .bool(let flag): return "\(flag)"
        case .integer(let value): return "\(value)"
        case .number(let value): return "\(value)"
        case .string(let text): return "\"\(HeaderDictionary.sanitize(text))\""
        case .array(let items): return items.count > 8 ? "[…]" : "[\(items.map(\.brief).joined(separator: ", "))]"
        case .object: return "{…}"
        }
    }
}
