/// What is wrong with a theme, and where.
public enum ThemeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A line that is neither a comment nor `theme[key]="value"`.
    case malformedLine(file: String, line: Int, text: String)
    /// A value that is not "#RRGGBB", "#BW", "R G B" or empty.
    case invalidColor(file: String, line: Int, key: String, value: String)
    /// The file could not be read.
    case unreadable(file: String, reason: String)
    /// No theme of that name in any searched folder.
    case notFound(name: String, searched: [String])

    public var description: String {
        switch self {
        case .malformedLine(let file, let line, let text):
            "\(file):\(line): expected theme[key]=\"value\", got \(text)"
        case .invalidColor(let file, let line, let key, let value):
            "\(file):\(line): theme[\(key)] has \"\(value)\", expected \"#RRGGBB\", \"#BW\" or \"R G B\""
        case .unreadable(let file, let reason):
            "cannot read theme \(file): \(reason)"
        case .notFound(let name, let searched):
            "no theme named \"\(name)\" in " + (searched.isEmpty ? "any folder" : searched.joined(separator: ", "))
        }
    }
}
