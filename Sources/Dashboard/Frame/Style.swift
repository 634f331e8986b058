/// How a cell is drawn: foreground, background (nil: the terminal's default) and bold.
public struct Style: Sendable, Hashable {
    public var foreground: RGB?
    public var background: RGB?
    public var bold: Bool

    public init(foreground: RGB? = nil, background: RGB? = nil, bold: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
    }

    /// The terminal's own colours.
    public static let plain = Style()
}
