/// The colours widgets draw text in, derived once from a theme (when it is resolved, not per
/// frame) so that each reaches `Theme.minimumContrast` against the background it is drawn on.
///
/// Text is every cell whose character is not a space, a box-drawing line or a block element
/// (U+2500–U+259F): letters, digits, punctuation, and the block grid's `·` and `✗` marks.
/// Bars, sparklines, big digits, shades and box lines are graphics: they keep the theme's own
/// colours. A colour that falls short keeps its hue and moves its lightness (`RGB.readable(on:)`).
public struct TextColors: Sendable, Equatable {
    /// `main_fg`, `title`, `hi_fg`, `inactive_fg` and `graph_text` (labels).
    public var text, title, highlight, inactive, label: RGB
    /// Block states as text: the running state, and the grid's waiting and failed marks.
    public var done, waiting, failed: RGB
    /// Core load, for percentages.
    public var load: Gradient
    /// Worker colours, for worker names.
    public var workers: [RGB]
    /// Operation colours, for operation names.
    public var operations: [RGB]

    /// The colour of worker `id`'s name.
    public func worker(_ id: Int) -> RGB {
        workers[((id % workers.count) + workers.count) % workers.count]
    }

    /// The colour of operation `index`'s name.
    public func operation(_ index: Int) -> RGB {
        operations[((index % operations.count) + operations.count) % operations.count]
    }

    /// Each colour moved, where it must be, to reach `Theme.minimumContrast` on `background`.
    func readable(on background: RGB) -> TextColors {
        func fix(_ color: RGB) -> RGB { color.readable(on: background) }
        return TextColors(text: fix(text), title: fix(title), highlight: fix(highlight), inactive: fix(inactive),
                          label: fix(label), done: fix(done), waiting: fix(waiting), failed: fix(failed),
                          load: Gradient(steps: load.steps.map(fix)), workers: workers.map(fix), operations: operations.map(fix))
    }
}
