extension JSON {
    /// The deepest nesting of arrays and objects that `parse` reads; a deeper document is
    /// refused rather than recursed into.
    package static let maximumDepth = 128

    /// The one JSON value in `bytes` (RFC 8259: UTF-8, white space around it allowed), or nil
    /// when they hold anything else, nest deeper than `maximumDepth`, or hold a number that no
    /// `Double` can hold. The bytes are untrusted: no input traps.
    ///
    /// A number without fraction or exponent that fits an `Int128` is `.integer`; others are `.number`.
    package static func parse(_ bytes: [UInt8]) -> JSON? {
        var reader = JSONReader(bytes: bytes)
        guard let value = reader.value(depth: 0) else { return nil }
        reader.skipWhiteSpace()
        return reader.atEnd ? value : nil
    }
}

/// Reads JSON values out of bytes, from `position` on; each read answers nil for what RFC 8259
/// does not allow.
private struct JSONReader {
    let bytes: [UInt8]
    var position = 0

    var atEnd: Bool { position >= bytes.count }

    /// The value at `position` (after white space), inside `depth` arrays and objects.
    mutating func value(depth: Int) -> JSON? {
        skipWhiteSpace()
        guard !atEnd else { return nil }
        switch UnicodeScalar(bytes[position]) {
        case "{": return object(depth: depth + 1)
        case "[": return array(depth: depth + 1)
        case "\"": return string().map(JSON.string)
        case "t": return literal("true", .bool(true))
        case "f": return literal("false", .bool(false))
        case "n": return literal("null", .null)
        default: return number()
        }
    }

    mutating func skipWhiteSpace() {
        while !atEnd, [0x20, 0x09, 0x0a, 0x0d].contains(bytes[position]) { position += 1 }
    }

    /// Steps over `character` when it is next; says whether it was.
    private mutating func take(_ character: UnicodeScalar) -> Bool {
        guard !atEnd, bytes[position] == character.value else { return false }
        position += 1
        return true
    }

    private mutating func literal(_ word: String, _ value: JSON) -> JSON? {
        for character in word.unicodeScalars {
            guard take(character) else { return nil }
        }
        return value
    }

    private mutating func array(depth: Int) -> JSON? {
        guard depth <= JSON.maximumDepth else { return nil }
        position += 1
        var items: [JSON] = []
        skipWhiteSpace()
        if take("]") { return .array(items) }
        repeat {
            guard let item = value(depth: depth) else { return nil }
            items.append(item)
            skipWhiteSpace()
        } while take(",")
        return take("]") ? .array(items) : nil
    }

    private mutating func object(depth: Int) -> JSON? {
        guard depth <= JSON.maximumDepth else { return nil }
        position += 1
        var members: [(String, JSON)] = []
        skipWhiteSpace()
        if take("}") { return .object(members) }
        repeat {
            skipWhiteSpace()
            guard !atEnd, bytes[position] == UInt8(ascii: "\""), let key = string() else { return nil }
            skipWhiteSpace()
            guard take(":"), let item = value(depth: depth) else { return nil }
            members.append((key, item))
            skipWhiteSpace()
        } while take(",")
        return take("}") ? .object(members) : nil
    }

    /// The string whose opening quote is at `position`, its escapes resolved; nil for a bad
    /// escape, a lone surrogate, a raw control character, bytes that are not UTF-8, or no closing quote.
    private mutating func string() -> String? {
        position += 1
        var text: [UInt8] = []
        while !atEnd {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""): return String(validating: text, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let scalar = escaped() else { return nil }
                UTF8.encode(scalar) { text.append($0) }
            case ..<0x20: return nil
            default: text.append(byte)
            }
        }
        return nil
    }

    /// The character an escape stands for, its backslash just read.
    private mutating func escaped() -> UnicodeScalar? {
        guard !atEnd else { return nil }
        let letter = UnicodeScalar(bytes[position])
        position += 1
        switch letter {
        case "\"", "\\", "/": return letter
        case "b": return "\u{08}"
        case "f": return "\u{0C}"
        case "n": return "\n"
        case "r": return "\r"
        case "t": return "\t"
        case "u":
            guard let unit = hexUnit() else { return nil }
            switch unit {
            case 0xD800...0xDBFF:
                guard take("\\"), take("u"), let low = hexUnit(), (0xDC00...0xDFFF).contains(low) else { return nil }
                return UnicodeScalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
            case 0xDC00...0xDFFF: return nil
            default: return UnicodeScalar(unit)
            }
        default: return nil
        }
    }

    /// The four hex digits of a `\u` escape, as a UTF-16 code unit.
    private mutating func hexUnit() -> UInt32? {
        guard position + 4 <= bytes.count else { return nil }
        var unit: UInt32 = 0
        for byte in bytes[position ..< position + 4] {
            guard let digit = UInt32(String(UnicodeScalar(byte)), radix: 16) else { return nil }
            unit = unit << 4 | digit
        }
        position += 4
        return unit
    }

    /// The number at `position`: `-`, an integer part without leading zeros, then an optional
    /// fraction and exponent.
    private mutating func number() -> JSON? {
        let start = position
        _ = take("-")
        if !take("0") {
            guard digits() > 0 else { return nil }
        }
        var whole = true
        if take(".") {
            guard digits() > 0 else { return nil }
            whole = false
        }
        if take("e") || take("E") {
            if !take("+") { _ = take("-") }
            guard digits() > 0 else { return nil }
            whole = false
        }
        let text = String(decoding: bytes[start ..< position], as: UTF8.self)
        if whole, let value = Int128(text) { return .integer(value) }
        guard let value = Double(text), value.isFinite else { return nil }
        return .number(value)
    }

    /// Steps over decimal digits; says how many there were.
    private mutating func digits() -> Int {
        let start = position
        while !atEnd, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
        return position - start
    }
}
