import BlocktopSupport

extension JSON {
    /// The value, shortened for a message about Zarr metadata: `"blosc"`, `[2, 3]`, `{…}`.
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
