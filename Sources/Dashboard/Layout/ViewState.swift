/// What the view shows besides the model: theme, glyphs, overlays and the next run's settings.
public struct ViewState: Sendable {
    public var theme: Theme
    public var glyphs: Glyphs
    public var showHelp = false
    /// Workers the next run will use, when it differs from this run's.
    public var nextWorkers: Int?
    /// One line for the footer: a warning, or what the last key did.
    public var message: String?
    /// How many seconds the worker lanes show.
    public var laneSeconds: Double = 10

    public init(theme: Theme = .standard, glyphs: Glyphs = .unicode) {
        self.theme = theme
        self.glyphs = glyphs
    }

    /// Text in `color` on the theme's background.
    func style(_ color: RGB, bold: Bool = false) -> Style {
        Style(foreground: color, background: theme.background, bold: bold)
    }
}
