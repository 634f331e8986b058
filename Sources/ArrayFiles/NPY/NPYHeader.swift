/// The header of a NumPy `.npy` file (format versions 1, 2 and 3): what the data is and where it starts.
///
/// The layout (numpy/lib/format.py): the magic `\x93NUMPY`, a major and a minor version byte, the
/// header's length (2 bytes little-endian in version 1, 4 in versions 2 and 3), then the header: a
/// Python dict literal such as `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }`,
/// Latin-1 text in versions 1 and 2, UTF-8 in version 3, padded with spaces and a newline so that
/// the data starts at a multiple of 64 bytes. The data follows: the elements in C (row-major) or
/// Fortran (column-major) order.
public struct NPYHeader: Equatable, Sendable {
    public let version: Int
    public let dtype: NPYDType
    /// Whether the data is in Fortran (column-major) order rather than C (row-major) order.
    public let fortranOrder: Bool
    public let shape: [Int]
    /// Where the data starts, in bytes from the start of the file.
    public let dataOffset: Int
    /// Elements in the array (the product of `shape`), known not to overflow.
    public let count: Int
    /// Bytes of data the header promises: `count × dtype.size`, known not to overflow.
    public let dataBytes: Int

    /// The bytes a header may take at most; NumPy itself refuses headers past 10,000 bytes by default.
    public static let maximumHeaderBytes = 1 << 20

    /// The header in `bytes`, the start of a file; throws a message naming what is wrong (without the
    /// file's name). `bytes` must hold the whole header: `requiredBytes(_:)` says how many that is.
    public static func parse(_ bytes: some Collection<UInt8>) throws(NPYHeaderError) -> NPYHeader {
        let bytes = Array(bytes)
        let (version, headerLength, preamble) = try preambleFields(bytes)
        guard bytes.count >= preamble + headerLength else {
            throw NPYHeaderError("the file ends inside its header (\(bytes.count) of \(preamble + headerLength) bytes)")
        }
        let raw = bytes[preamble..<(preamble + headerLength)]
        // Versions 1 and 2 are Latin-1: every byte is one character.
        let text = version == 3 ? String(decoding: raw, as: UTF8.self) : String(String.UnicodeScalarView(raw.map { Unicode.Scalar($0) }))
        let dictionary = try HeaderDictionary.parse(text)
        let dtype: NPYDType
        switch dictionary.descr {
        case .text(let descr):
            switch NPYDType.parse(descr) {
            case .success(let type): dtype = type
            case .failure(.unsupported(let what)):
                throw NPYHeaderError("dtype '\(descr)' (\(what)) is not supported; blocktop reads bool, int8–int64, uint8–uint64 and float16–float64")
            case .failure(.unknown):
                throw NPYHeaderError("dtype '\(descr)' is not a NumPy numeric type")
            }
        case .structured:
            throw NPYHeaderError("a structured dtype (records) is not supported; blocktop reads bool, int8–int64, uint8–uint64 and float16–float64")
        }
        let shape = dictionary.shape
        guard let count = productWithoutOverflow(shape), let dataBytes = productWithoutOverflow([count, dtype.size]) else {
            throw NPYHeaderError("shape \(describe(shape)) has more elements than a file can hold")
        }
        return NPYHeader(version: version, dtype: dtype, fortranOrder: dictionary.fortranOrder, shape: shape,
                         dataOffset: preamble + headerLength, count: count, dataBytes: dataBytes)
    }

    /// How many bytes from the start of the file `parse` needs, read from the first 12 (`nil` while
    /// fewer than that are given and the preamble is not complete).
    public static func requiredBytes(_ start: some Collection<UInt8>) throws(NPYHeaderError) -> Int? {
        let bytes = Array(start.prefix(12))
        guard bytes.count >= 10 else {
            if !bytes.elementsEqual(magic.prefix(bytes.count)) { throw notNPY }
            return nil
        }
        guard bytes.count >= 12 || bytes[6] == 1 else { return nil }
        let (_, headerLength, preamble) = try preambleFields(bytes)
        return preamble + headerLength
    }

    /// A header for `shape` and `dtype`, C order, as NumPy writes it: the smallest version that
    /// holds it (1, else 2), padded so that the data starts at a multiple of 64 bytes.
    public static func encode(shape: [Int], dtype: NPYDType) -> [UInt8] {
        let dictionary = "{'descr': '\(dtype.descr)', 'fortran_order': False, 'shape': \(describe(shape)), }"
        for (version, lengthBytes) in [(1, 2), (2, 4)] {
            let preamble = magic.count + 2 + lengthBytes
            let unpadded = preamble + dictionary.utf8.count + 1
            let padding = (64 - unpadded % 64) % 64
            let headerLength = dictionary.utf8.count + padding + 1
            guard version == 2 || headerLength <= Int(UInt16.max) else { continue }
            var bytes = magic + [UInt8(version), 0]
            for i in 0..<lengthBytes { bytes.append(UInt8(truncatingIfNeeded: headerLength >> (8 * i))) }
            bytes += Array(dictionary.utf8) + [UInt8](repeating: 0x20, count: padding) + [0x0A]
            return bytes
        }
        fatalError("unreachable: version 2 holds any header")
    }

    /// A shape as Python writes a tuple: `()`, `(5,)`, `(3, 4)`.
    static func describe(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    private static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
    private static let notNPY = NPYHeaderError("not a .npy file (it does not start with \\x93NUMPY)")

    /// Version, header length and the preamble's length (magic, version, length field).
    private static func preambleFields(_ bytes: [UInt8]) throws(NPYHeaderError) -> (Int, Int, Int) {
        guard bytes.count >= 10, bytes.prefix(6).elementsEqual(magic) else {
            if bytes.count < 10 && bytes.elementsEqual(magic.prefix(bytes.count)) {
                throw NPYHeaderError("the file ends inside its header (\(bytes.count) bytes)")
            }
            throw notNPY
        }
        let major = Int(bytes[6]), minor = Int(bytes[7])
        guard (1...3).contains(major), minor == 0 else {
            throw NPYHeaderError("format version \(major).\(minor) is not one blocktop reads (1.0, 2.0 and 3.0)")
        }
        if major == 1 { return (1, Int(bytes[8]) | Int(bytes[9]) << 8, 10) }
        guard bytes.count >= 12 else { throw NPYHeaderError("the file ends inside its header (\(bytes.count) bytes)") }
        let length = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        guard length <= maximumHeaderBytes else {
            throw NPYHeaderError("its header says it is \(length) bytes long, past the limit of \(maximumHeaderBytes)")
        }
        return (major, length, 12)
    }

    static func productWithoutOverflow(_ shape: [Int]) -> Int? {
        var product = 1
        for extent in shape {
            let (next, overflow) = product.multipliedReportingOverflow(by: extent)
            guard !overflow else { return nil }
            product = next
        }
        return product
    }
}

/// What is wrong with a `.npy` header, without the file's name.
public struct NPYHeaderError: Error, Equatable, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// The three entries of a header's dict literal, parsed from its text.
///
/// Only what NumPy writes is accepted (and what older NumPy wrote: `5L` extents, double quotes):
/// single- or double-quoted strings, `True`/`False`, tuples of non-negative integers, and for a
/// structured `descr` a list (refused later). NumPy requires exactly the keys `descr`,
/// `fortran_order` and `shape`; so does this.
struct HeaderDictionary {
    enum Descr { case text(String), structured }

    let descr: Descr
    let fortranOrder: Bool
    let shape: [Int]

    static func parse(_ text: String) throws(NPYHeaderError) -> HeaderDictionary {
        var scanner = Scanner(Array(text.unicodeScalars))
        var descr: Descr?, fortranOrder: Bool?, shape: [Int]?
        try scanner.expect("{")
        while true {
            scanner.skipSpaces()
            if scanner.take("}") { break }
            let key = try scanner.string()
            try scanner.expect(":")
            switch key {
            case "descr":
                guard descr == nil else { throw NPYHeaderError("its header gives 'descr' twice") }
                scanner.skipSpaces()
                if scanner.peek == "[" {
                    try scanner.skipBracketed()
                    descr = .structured
                } else {
                    descr = .text(try scanner.string())
                }
            case "fortran_order":
                guard fortranOrder == nil else { throw NPYHeaderError("its header gives 'fortran_order' twice") }
                fortranOrder = try scanner.boolean()
            case "shape":
                guard shape == nil else { throw NPYHeaderError("its header gives 'shape' twice") }
                shape = try scanner.tuple()
            default:
                throw NPYHeaderError("its header has an unknown key '\(sanitize(key))' (NumPy writes descr, fortran_order and shape)")
            }
            scanner.skipSpaces()
            if scanner.take(",") { continue }
            try scanner.expect("}")
            break
        }
        scanner.skipSpaces()
        guard scanner.atEnd else { throw NPYHeaderError("its header has text after the closing brace") }
        guard let descr else { throw NPYHeaderError("its header has no 'descr'") }
        guard let fortranOrder else { throw NPYHeaderError("its header has no 'fortran_order'") }
        guard let shape else { throw NPYHeaderError("its header has no 'shape'") }
        return HeaderDictionary(descr: descr, fortranOrder: fortranOrder, shape: shape)
    }

    /// At most 40 characters of `text`, control characters shown as `?`.
    static func sanitize(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.prefix(40).map { $0.value < 0x20 || $0.value == 0x7F ? "?" : $0 }))
    }

    /// Reads the header's characters left to right.
    struct Scanner {
        let characters: [Unicode.Scalar]
        var position = 0

        init(_ characters: [Unicode.Scalar]) { self.characters = characters }

        var atEnd: Bool { position >= characters.count }
        var peek: Unicode.Scalar? { atEnd ? nil : characters[position] }

        mutating func skipSpaces() {
            while let c = peek, c == " " || c == "\t" || c == "\n" || c == "\r" { position += 1 }
        }

        mutating func take(_ c: Unicode.Scalar) -> Bool {
            guard peek == c else { return false }
            position += 1
            return true
        }

        mutating func expect(_ c: Unicode.Scalar) throws(NPYHeaderError) {
            skipSpaces()
            guard take(c) else { throw problem("expected '\(c)'") }
        }

        func problem(_ what: String) -> NPYHeaderError {
            let found = peek.map { "'\(HeaderDictionary.sanitize(String($0)))'" } ?? "the end"
            return NPYHeaderError("its header is not a dict NumPy writes: \(what) at character \(position), found \(found)")
        }

        mutating func string() throws(NPYHeaderError) -> String {
            skipSpaces()
            guard let quote = peek, quote == "'" || quote == "\"" else { throw problem("expected a quoted string") }
            position += 1
            var text = String.UnicodeScalarView()
            while let c = peek, c != quote {
                guard c != "\\", c != "\n" else { throw problem("escapes and line breaks are not allowed in a string") }
                text.append(c)
                position += 1
                guard text.count <= 256 else { throw problem("a string longer than 256 characters") }
            }
            guard take(quote) else { throw problem("an unterminated string") }
            return String(text)
        }

        mutating func boolean() throws(NPYHeaderError) -> Bool {
            skipSpaces()
            for (word, value) in [("True", true), ("False", false)] {
                let scalars = Array(word.unicodeScalars)
                if position + scalars.count <= characters.count && Array(characters[position..<(position + scalars.count)]) == scalars {
                    position += scalars.count
                    return value
                }
            }
            throw problem("expected True or False")
        }

        /// `()`, `(5,)`, `(3, 4)`, `(3, 4,)`: non-negative integers (`(5)` is taken as `(5,)`).
        mutating func tuple() throws(NPYHeaderError) -> [Int] {
            try expect("(")
            var values: [Int] = []
            while true {
                skipSpaces()
                if take(")") { return values }
                values.append(try integer())
                guard values.count <= 64 else { throw problem("more than 64 axes") }
                skipSpaces()
                if take(",") { continue }
                try expect(")")
                return values
            }
        }

        mutating func integer() throws(NPYHeaderError) -> Int {
            skipSpaces()
            var value = 0, digits = 0
            while let c = peek, ("0"..."9").contains(c) {
                let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (next, overflow2) = times.addingReportingOverflow(Int(c.value - 48))
                guard !overflow1, !overflow2 else { throw NPYHeaderError("its shape has an extent past \(Int.max)") }
                value = next
                digits += 1
                position += 1
            }
            guard digits > 0 else {
                throw problem(peek == "-" ? "a negative extent" : "expected a whole number")
            }
            _ = take("L")  // Python 2's long integers, in files written by old NumPy
            return value
        }

        /// Skips a bracketed value (a structured dtype's list of fields), brackets nested.
        mutating func skipBracketed() throws(NPYHeaderError) {
            var depth = 0
            repeat {
                guard let c = peek else { throw problem("an unclosed '['") }
                if c == "[" || c == "(" { depth += 1 }
                if c == "]" || c == ")" { depth -= 1 }
                if c == "'" || c == "\"" { _ = try string(); continue }
                position += 1
            } while depth > 0
        }
    }
}
