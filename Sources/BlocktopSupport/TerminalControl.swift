extension Unicode.Scalar {
    /// A C0 or C1 control character or DEL: what a terminal acts on instead of showing.
    package var isTerminalControl: Bool { value < 0x20 || (0x7F..<0xA0).contains(value) }
}

extension String {
    /// The text with its control characters shown as `\xNN` escapes, so that text from users or
    /// other processes cannot drive the terminal.
    package var escapingTerminalControls: String {
        guard unicodeScalars.contains(where: \.isTerminalControl) else { return self }
        var escaped = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            guard scalar.isTerminalControl else {
                escaped.append(scalar)
                continue
            }
            let hex = String(scalar.value, radix: 16)
            escaped.append(contentsOf: "\\x\(hex.count < 2 ? "0" + hex : hex)".unicodeScalars)
        }
        return String(escaped)
    }
}
