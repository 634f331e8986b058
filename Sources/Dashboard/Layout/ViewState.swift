import DashboardModel
import Themes
import Tuning

/// What the view shows besides the model: theme, glyphs, overlays and the next run's settings.
public struct ViewState: Sendable {
    public var theme: Theme
    public var glyphs: Glyphs
    public var showHelp = false
    /// Workers the next run will use, when it differs from this run's.
    public var nextWorkers: Int?
    /// One line for the footer: a warning, or what the last key did.
    public var message: String?
    /// The text typed at the `:` prompt so far and its cursor; nil when the prompt is closed.
    public var prompt: PromptLine?
    /// Why the expression last entered at the open prompt did not build, and where.
    public var promptError: PromptError?
    /// The last finished or cancelled runs, newest first, for the runs panel.
    public var recentRuns: [RecentRun] = []
    /// The plan of a sweep or scaling series and its results so far; nil for single runs.
    package var tuning: TuningChart?
    /// How many seconds the worker lanes show.
    public var laneSeconds: Double = 10
    /// The stage the grid shows, chosen with Tab; nil to follow the work.
    public var pinnedStage: Int?
    /// The block the arrow keys put the cursor on, in the shown stage (row-major); nil: no cursor
    /// and no block detail.
    public var cursor: Int?

    public init(theme: Theme = .standard, glyphs: Glyphs = .unicode) {
        self.theme = theme
        self.glyphs = glyphs
    }

    /// Text in `color` on the theme's background.
    func style(_ color: RGB, bold: Bool = false) -> Style {
        Style(foreground: color, background: theme.background, bold: bold)
    }
}

/// An expression entered at the `:` prompt that did not build: what is wrong, and where in the
/// prompt's text, for a caret under it.
public struct PromptError: Sendable, Equatable {
    public var message: String
    /// The mistake, as scalar offsets into the prompt's text; nil when the error has no place in it.
    public var range: Range<Int>?

    public init(message: String, range: Range<Int>? = nil) {
        self.message = message
        self.range = range
    }
}
