/// Splits an expression into tokens, each with its character range.
struct Token: Equatable {
    enum Kind: Equatable {
        case number(Double)
        case name(String)
        case string(String)
        /// Punctuation and operators: `( ) [ ] , : ; = . + - * / % @ ** < <= > >= == != & | ~`.
        case symbol(String)
        case end
    }

    let kind: Kind
    let range: Range<Int>
}

enum Lexer {
    private static let symbols = ["**", "<=", ">=", "==", "!=",
                                  "(", ")", "[", "]", ",", ":", ";", "=", ".", "+", "-", "*", "/", "%", "@", "<", ">",
                                  "&", "|", "~"]

    static func tokens(_ source: String) throws(ExpressionError) -> [Token] {
        let characters = Array(source)
        var tokens: [Token] = []
        var i = 0
        func fail(_ message: String, _ range: Range<Int>) -> ExpressionError {
            ExpressionError(.syntax, message, in: source, at: range)
        }
        while i < characters.count {
            let c = characters[i]
            if c == " " || c == "\t" || c == "\r" {
                i += 1
            } else if c == "\n" {
                tokens.append(Token(kind: .symbol(";"), range: i..<(i + 1)))
                i += 1
            } else if c == "#" {
                while i < characters.count && characters[i] != "\n" { i += 1 }
            } else if c.isNumber || (c == "." && i + 1 < characters.count && characters[i + 1].isNumber) {
                let start = i
                while i < characters.count && (characters[i].isNumber || characters[i] == "." || characters[i] == "_") { i += 1 }
                if i < characters.count && (characters[i] == "e" || characters[i] == "E") {
                    i += 1
                    if i < characters.count && (characters[i] == "+" || characters[i] == "-") { i += 1 }
                    while i < characters.count && characters[i].isNumber { i += 1 }
                }
                let text = String(characters[start..<i]).replacingOccurrences(of: "_", with: "")
                guard let value = Double(text) else { throw fail("bad number '\(text)'", start..<i) }
                guard value.isFinite else { throw fail("number '\(text)' is too large", start..<i) }
                tokens.append(Token(kind: .number(value), range: start..<i))
            } else if c.isLetter || c == "_" {
                let start = i
                while i < characters.count && (characters[i].isLetter || characters[i].isNumber || characters[i] == "_") { i += 1 }
                tokens.append(Token(kind: .name(String(characters[start..<i])), range: start..<i))
            } else if c == "'" || c == "\"" {
                let start = i
                i += 1
                while i < characters.count && characters[i] != c && characters[i] != "\n" { i += 1 }
                guard i < characters.count && characters[i] == c else { throw fail("unterminated string", start..<i) }
                i += 1
                tokens.append(Token(kind: .string(String(characters[(start + 1)..<(i - 1)])), range: start..<i))
            } else if let symbol = symbols.first(where: { matches($0, characters, at: i) }) {
                tokens.append(Token(kind: .symbol(symbol), range: i..<(i + symbol.count)))
                i += symbol.count
            } else {
                throw fail("unexpected character '\(c)'", i..<(i + 1))
            }
        }
        tokens.append(Token(kind: .end, range: characters.count..<(characters.count + 1)))
        return tokens
    }

    private static func matches(_ symbol: String, _ characters: [Character], at i: Int) -> Bool {
        let symbolCharacters = Array(symbol)
        guard i + symbolCharacters.count <= characters.count else { return false }
        return Array(characters[i..<(i + symbolCharacters.count)]) == symbolCharacters
    }
}
