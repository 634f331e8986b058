/// The keys and colours of one theme file in btop's format, before defaults are applied.
///
/// Lines (ending in "\n" or "\r\n") are `theme[key]="value"` (quotes optional; text after
/// the closing quote is ignored, as btop does), blank, or `#` comments. A value is
/// "#RRGGBB", "#BW" (a grey, two hex digits), "R G B" (decimal 0–255), or empty, which
/// means "unset" (for `main_bg`: the terminal's own background). Keys are kept whether
/// blocktop knows them or not; `Theme` ignores the ones it does not use.
public struct ThemeFile: Sendable, Equatable {
    /// Colours by key; nil for keys set to "".
    public var colors: [String: RGB?]

    public init(colors: [String: RGB?] = [:]) {
        self.colors = colors
    }

    /// Parses `text`; `file` names it in errors.
    public init(parsing text: String, file: String) throws(ThemeError) {
        colors = [:]
        // "\r\n" is a single Character, so Windows line endings need naming.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (offset, rawLine) in lines.enumerated() {
            let line = rawLine.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard line.hasPrefix("theme["), let close = line.firstIndex(of: "]"),
                  line[line.index(after: close)...].trimmingWhitespace().hasPrefix("=") else {
                throw .malformedLine(file: file, line: offset + 1, text: String(line))
            }
            let key = String(line[line.index(line.startIndex, offsetBy: 6)..<close].trimmingWhitespace())
            var value = line[line.index(after: close)...].trimmingWhitespace().dropFirst().trimmingWhitespace()
            if value.first == "\"" {
                // As btop reads it: the text up to the next quote; anything after is ignored.
                value = value.dropFirst()
                guard let end = value.firstIndex(of: "\"") else {
                    throw .malformedLine(file: file, line: offset + 1, text: String(line))
                }
                value = value[..<end]
            }
            let text = String(value.trimmingWhitespace())
            guard !key.isEmpty else { throw .malformedLine(file: file, line: offset + 1, text: String(line)) }
            if text.isEmpty {
                colors[key] = .some(nil)
            } else if let color = Self.color(text) {
                colors[key] = color
            } else {
                throw .invalidColor(file: file, line: offset + 1, key: key, value: text)
            }
        }
    }

    /// "#RRGGBB", "#BW" or "R G B" as a colour; nil when it is none of those.
    public static func color(_ text: String) -> RGB? {
        if text.hasPrefix("#") {
            let hex = text.dropFirst()
            guard hex.allSatisfy(\.isHexDigit) else { return nil }
            switch hex.count {
            case 2: return UInt8(hex, radix: 16).map { RGB(grey: $0) }
            case 6:
                guard let value = UInt32(hex, radix: 16) else { return nil }
                return RGB(UInt8(value >> 16), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF))
            default: return nil
            }
        }
        let parts = text.split(separator: " ", omittingEmptySubsequences: true).map { UInt8($0) }
        guard parts.count == 3, let r = parts[0], let g = parts[1], let b = parts[2] else { return nil }
        return RGB(r, g, b)
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and carriage returns.
    func trimmingWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return Substring()
        }
        return Substring(self[first...last])
    }
}
