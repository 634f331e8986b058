import Themes

/// How a cell is drawn: foreground, background (nil: the terminal's default), bold, and reverse
/// video (the terminal swaps the two colours: the prompt's cursor, visible without colour too).
public struct Style: Sendable, Hashable {
    public var foreground: RGB?
    public var background: RGB?
    public var bold: Bool
    public var reverse: Bool

    public init(foreground: RGB? = nil, background: RGB? = nil, bold: Bool = false, reverse: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.reverse = reverse
    }

    /// The terminal's own colours.
    public static let plain = Style()
}
