/// A mistake in an expression, found before anything runs: what is wrong and where.
public struct ExpressionError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        case syntax, unknownName, badArgument, shapeMismatch, badAxis, badValue
    }

    public let kind: Kind
    public let message: String
    /// The expression's text.
    public let source: String
    /// The offending characters, as character offsets into `source`.
    public let range: Range<Int>

    public init(_ kind: Kind, _ message: String, in source: String, at range: Range<Int>) {
        self.kind = kind
        self.message = message
        self.source = source
        self.range = range
    }

    /// The message, then the expression's line holding the error with carets under the bad spot.
    public var description: String {
        let characters = Array(source)
        let start = min(range.lowerBound, characters.count)
        let lineStart = characters[..<start].lastIndex(of: "\n").map { $0 + 1 } ?? 0
        let lineEnd = characters[start...].firstIndex(of: "\n") ?? characters.count
        let line = String(characters[lineStart..<lineEnd])
        let width = max(1, min(range.upperBound, lineEnd) - start)
        let caret = String(repeating: " ", count: start - lineStart) + String(repeating: "^", count: width)
        return "\(message)\n  \(line)\n  \(caret)"
    }
}
