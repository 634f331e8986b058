import BlocktopSupport
import DashboardModel
import RunVocabulary
import Themes

/// The help box over the middle of the screen (h, ? or F1): the keys and the mouse, the prompt's
/// editing keys, and every glyph of the screen, drawn in its own colours. It fits 80×24 whole.
struct HelpOverlay {
    let view: ViewState
    /// What the run's source can do: the help lists only those keys.
    let capabilities: SourceCapabilities

    /// A run of text in one colour; nil: the help's text colour.
    typealias Span = (text: String, color: RGB?)

    /// The widest line, and the most lines: what an 80×24 screen holds inside the box.
    static let maximumWidth = 72, maximumLines = 20

    /// The lines, with glyphs as `glyphs` draws them, each a list of spans; only the keys a source
    /// with `capabilities` can do.
    static func lines(_ glyphs: Glyphs, theme: Theme, capabilities: SourceCapabilities) -> [[Span]] {
        let unicode = glyphs != .ascii
        let (left, right, up, down) = unicode ? ("←", "→", "↑", "↓") : ("Left", "Right", "Up", "Down")
        let ink = theme.barInk
        func plain(_ text: String) -> [Span] { [(text, nil)] }
        func glyph(_ scalar: Unicode.Scalar, _ color: RGB) -> Span { (String(scalar), color) }
        let levels = [glyphs.level(0.25), glyphs.level(0.5), glyphs.level(0.85)].map(String.init).joined()
        let shades = glyphs.shades.dropFirst().map(String.init).joined(separator: " ")
        // The keys, two to a line: those the source cannot do are left out, and a key alone on
        // its line moves to the start.
        let keys: [(left: (String, needs: SourceCapabilities)?, right: (String, needs: SourceCapabilities)?)] = [
            (("q  F10    quit (cancels the run)        ", []), ("h  ?  F1  this help", [])),
            (("space     pause / resume                 ", .pause), ("c         cancel the run", .cancel)),
            (("r         run it again                   ", .newRuns), ("t         next theme", [])),
            (("[  ]      halve / double the block size and run again", .newRuns), nil),
            (("+  -      one worker more / fewer        ", .newRuns), ("Tab       next grid stage", [])),
            (("\(unicode ? "← → ↑ ↓" : "arrows ")   or click: a block's tasks, Esc closes; Shift+drag selects text", []), nil),
            ((":         type an expression: Enter runs it, Esc closes the prompt,", .newRuns), nil),
            (("          \(left) \(right) Home End move, \(up) \(down) expressions run before,", .newRuns), nil),
            (("          Ctrl-A/E start/end, Ctrl-U delete to start, Ctrl-W a word", .newRuns), nil),
        ]
        let keyLines = keys.compactMap { line -> [Span]? in
            let shown = [line.left, line.right].compactMap { $0 }.filter { capabilities.isSuperset(of: $0.needs) }.map(\.0)
            guard !shown.isEmpty else { return nil }
            return plain(shown.count == 2 ? shown.joined() : shown[0].trimmingTrailingSpaces)
        }
        return keyLines + [
            plain("process   cpu: 100% is one core busy"),
            plain("          efficiency: cpu / (workers \(glyphs.times) 100%), at most 100%"),
            [("cores     ", nil), glyph(glyphs.full, theme.cpuOwn), (" blocktop's share of the core  ", nil),
             glyph(glyphs.others, theme.cpuOthers), (" other processes' (last 1s)", nil)],
            [("          ", nil), (levels, theme.cpu.at(60)), (" under a bar: that core's load over the last seconds", nil)],
            plain("header    'others use N of M CPUs': others take 1/\(Int((1 / Competition.disturbingShare).rounded())) of the usable CPUs"),
            [("blocks    ", nil), glyph(glyphs.waiting, ink.waiting), (" waiting  ", nil), glyph(glyphs.ready, theme.blockReady),
             (" ready  ", nil), glyph(glyphs.running, theme.worker(0)), (" running  ", nil), glyph(glyphs.level(0.5), theme.blockDone),
             (" part done  ", nil), glyph(glyphs.full, theme.blockDone), (" done  ", nil), glyph(glyphs.failed, ink.failed),
             (" failed", nil)],
            [("          a cell of several blocks: ", nil), (levels, theme.blockDone), (" how much of them is done", nil)],
            [("workers   a column per slice of time: ", nil), (shades, theme.operation(0)), (" how busy the worker was,", nil)],
            plain("          coloured by the operation that took most of it; CPU% last 1s"),
            plain("operations  each: a bar of its tasks done, done / all, worker time taken"),
            plain("recent runs  block size, workers, time, CPU% and how each run ended"),
        ]
    }

    func draw(into frame: inout Frame, _ bounds: Rect) {
        let theme = view.theme
        let lines = Self.lines(view.glyphs, theme: theme, capabilities: capabilities)
        let width = min(bounds.width - 4, Self.maximumWidth + 4), height = min(bounds.height - 2, lines.count + 2)
        let rect = Rect(x: bounds.x + (bounds.width - width) / 2, y: bounds.y + (bounds.height - height) / 2, width: width, height: height)
        let background = theme.meterBackground
        frame.fill(rect, style: Style(foreground: theme.text, background: background))
        frame.box(rect, title: "help \(view.glyphs.separator) any key closes it", color: theme.highlight, titleColor: theme.barInk.title, background: background, glyphs: view.glyphs)
        for (row, line) in lines.prefix(height - 2).enumerated() {
            var x = rect.x + 2
            for span in line {
                x = frame.text(span.text, x: x, y: rect.y + 1 + row, style: Style(foreground: span.color ?? theme.barInk.text, background: background),
                               maxWidth: rect.x + width - 2 - x)
            }
        }
    }
}

extension String {
    /// Without the spaces at its end.
    fileprivate var trimmingTrailingSpaces: String {
        String(reversed().drop { $0 == " " }.reversed())
    }
}

extension HelpOverlay: Panel {
    var slot: PanelSlot { .screen }
    var applies: Bool { view.showHelp }
}
