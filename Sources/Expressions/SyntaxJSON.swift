import BlockArray
import BlocktopSupport

/// A program's syntax tree as JSON, for the Dask bridge to translate through its whitelist.
///
///     {"version":1,"defaults":{"seed":0,"chunks":1000,"chunks_override":null},
///      "statements":[{"target":"x","value":NODE},{"target":null,"value":NODE}]}
///
/// A NODE is an object whose `node` says what it is:
/// `{"node":"number","value":2}`, `{"node":"string","value":"reflect"}`, `{"node":"name","id":"x"}`,
/// `{"node":"sequence","items":[NODE…]}`, `{"node":"unary","op":"-","operand":NODE}`,
/// `{"node":"binary","op":"@","left":NODE,"right":NODE}`,
/// `{"node":"call","function":NODE,"args":[NODE…],"keywords":{"chunks":NODE}}`,
/// `{"node":"attribute","value":NODE,"attr":"T"}`,
/// `{"node":"subscript","value":NODE,"items":[{"index":NODE} | {"slice":[NODE|null, NODE|null, NODE|null]}]}`.
/// Chunk specifications are written as dask takes them: a size, a size per axis, or lists of sizes.
/// Whole numbers below 2^53 are written without a fraction; other numbers as Swift prints them.
extension Program {
    /// The version of the JSON layout; a reader refuses any other.
    public static let syntaxJSONVersion = 1

    /// `text` parsed and checked as `Program(text, defaults:)` does (so a bad expression fails with
    /// the same error), then its syntax tree and `defaults` as one line of JSON.
    public static func syntaxJSON(text: String, defaults: Defaults = Defaults()) throws(ExpressionError) -> String {
        _ = try Program(text, defaults: defaults)
        var parser = try Parser(text)
        let statements = try parser.program()
        let encodedDefaults = JSON.object([("seed", .integer(Int128(defaults.seed))), ("chunks", json(defaults.chunks)),
                                           ("chunks_override", defaults.chunksOverride.map(json) ?? .null)])
        let encodedStatements = statements.map { statement in
            JSON.object([("target", statement.target.map { .string($0.name) } ?? .null), ("value", json(statement.value))])
        }
        return JSON.object([("version", .integer(Int128(syntaxJSONVersion))), ("defaults", encodedDefaults),
                            ("statements", .array(encodedStatements))]).serialized()
    }
}

private func json(_ expression: Expression) -> JSON {
    switch expression.node {
    case .number(let value):
        return node("number", ("value", json(value)))
    case .string(let text):
        return node("string", ("value", .string(text)))
    case .name(let name):
        return node("name", ("id", .string(name)))
    case .sequence(let items):
        return node("sequence", ("items", .array(items.map(json))))
    case .unary(let symbol, let operand):
        return node("unary", ("op", .string(symbol)), ("operand", json(operand)))
    case .binary(let symbol, let left, let right):
        return node("binary", ("op", .string(symbol)), ("left", json(left)), ("right", json(right)))
    case .call(let function, let arguments):
        let positional = arguments.filter { $0.label == nil }.map { json($0.value) }
        let keywords = arguments.compactMap { argument in argument.label.map { ($0, json(argument.value)) } }
        return node("call", ("function", json(function)), ("args", .array(positional)), ("keywords", .object(keywords)))
    case .attribute(let base, let name):
        return node("attribute", ("value", json(base)), ("attr", .string(name)))
    case .subscripted(let base, let items):
        let encoded = items.map { item -> JSON in
            switch item {
            case .index(let index):
                return .object([("index", json(index))])
            case .slice(let start, let stop, let step):
                return .object([("slice", .array([start, stop, step].map { $0.map(json) ?? .null }))])
            }
        }
        return node("subscript", ("value", json(base)), ("items", .array(encoded)))
    }
}

/// A NODE: `{"node": kind, …members}`.
private func node(_ kind: String, _ members: (String, JSON)...) -> JSON {
    .object([("node", .string(kind))] + members)
}

private func json(_ spec: ChunkSpec) -> JSON {
    func sizes(_ list: [Int]) -> JSON { .array(list.map { .integer(Int128($0)) }) }
    switch spec {
    case .uniform(let size): return .integer(Int128(size))
    case .perAxis(let list): return sizes(list)
    case .explicit(let lists): return .array(lists.map(sizes))
    }
}

/// A finite number (the lexer takes no other): whole values below 2^53 as integers.
private func json(_ value: Double) -> JSON {
    if value == value.rounded(), abs(value) < 0x1p53 { return .integer(Int128(value)) }
    return .number(value)
}
