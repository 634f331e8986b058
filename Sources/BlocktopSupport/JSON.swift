import Foundation

/// A JSON value: read from untrusted bytes (`parse`, in JSON+Parsing.swift), and written with
/// keys in the order given, so reports read the same every time.
public indirect enum JSON: Sendable {
    case null
    case bool(Bool)
    /// A whole number, written without a fraction (wide enough for any `Int` or `UInt64`); what
    /// `parse` makes of a number written without fraction or exponent that fits.
    case integer(Int128)
    case number(Double)
    case string(String)
    case array([JSON])
    /// Members in order; `parse` keeps a document's order, and its repeated keys.
    case object([(String, JSON)])

    /// An object of the `members` that have a value, in the order of their keys.
    package static func sortedObject(_ members: [(String, JSON?)]) -> JSON {
        .object(members.compactMap { key, value in value.map { (key, $0) } }.sorted { $0.0 < $1.0 })
    }

    /// The member `key` of an object (its last, when the key repeats); nil for a missing key or
    /// another kind of value.
    package subscript(key: String) -> JSON? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.0 == key }?.1
    }

    /// The value as a whole number, when it is one (a number with a zero fraction included).
    package var integer: Int? {
        switch self {
        case .integer(let value): Int(exactly: value)
        case .number(let value) where value == value.rounded() && abs(value) < 0x1p62: Int(value)
        default: nil
        }
    }

    package var string: String? {
        guard case .string(let text) = self else { return nil }
        return text
    }

    package var array: [JSON]? {
        guard case .array(let items) = self else { return nil }
        return items
    }

    /// Compact JSON text. JSON has no literal for non-finite numbers, so they become the strings
    /// `"NaN"`, `"Infinity"` and `"-Infinity"` (the names Python's `json` module and JavaScript use).
    public func serialized() -> String {
        var out = ""
        write(into: &out)
        return out
    }

    private func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .integer(let value): out += String(value)
        case .number(let value):
            if value.isNaN { out += "\"NaN\"" }
            else if value.isInfinite { out += value < 0 ? "\"-Infinity\"" : "\"Infinity\"" }
            else if value == value.rounded(), abs(value) < 1e15 { out += String(Int64(value)) }
            else { out += "\(value)" }
        case .string(let text): JSON.escape(text, into: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += "," }
                JSON.escape(key, into: &out)
                out += ":"
                value.write(into: &out)
            }
            out += "}"
        }
    }

    private static func escape(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

extension JSON: Equatable {
    /// Values of the same kind and contents; objects with the same members in the same order
    /// (`.integer(2)` and `.number(2)` are different values).
    public static func == (a: JSON, b: JSON) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.integer(let x), .integer(let y)): x == y
        case (.number(let x), .number(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }
}
