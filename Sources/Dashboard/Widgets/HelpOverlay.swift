import BlocktopSupport

/// The help box over the middle of the screen (h or ?): the keys and how to read the screen.
struct HelpOverlay {
    let view: ViewState

    /// The lines, with the core bars' glyphs as `glyphs` draws them.
    static func lines(_ glyphs: Glyphs) -> [String] { [
        "q        quit (cancels a running computation)",
        "space    pause / resume",
        "c        cancel the run",
        "r        run it again",
        "[  ]     halve / double the block size and rerun",
        "+  -     one worker more / fewer (next run)",
        "t        next theme",
        "Tab      the grid's next stage, then follow the work",
        ":        type a new expression, Enter runs it",
        "h  ?     this help (any key closes it)",
        "",
        "process cpu: 100% is one core busy",
        "efficiency: process cpu / (workers x 100%)",
        "cores: \(glyphs.full) blocktop's share, \(glyphs.others) other processes'",
        "header: 'others use N of M CPUs' when they take",
        "        1/\(Int((1 / Competition.disturbingShare).rounded())) of blocktop's CPUs or more",
        "blocks: waiting, ready, running (worker colour),",
        "        part done, done, failed",
        "workers: each worker's tasks over the last seconds",
    ] }

    func draw(into frame: inout Frame, _ bounds: Rect) {
        let theme = view.theme
        let lines = Self.lines(view.glyphs)
        let width = min(bounds.width - 4, 56), height = min(bounds.height - 2, lines.count + 2)
        let rect = Rect(x: bounds.x + (bounds.width - width) / 2, y: bounds.y + (bounds.height - height) / 2, width: width, height: height)
        let background = theme.meterBackground
        frame.fill(rect, style: Style(foreground: theme.text, background: background))
        frame.box(rect, title: "help", color: theme.highlight, titleColor: theme.barInk.title, background: background, glyphs: view.glyphs)
        for (row, line) in lines.prefix(height - 2).enumerated() {
            frame.text(line, x: rect.x + 2, y: rect.y + 1 + row, style: Style(foreground: theme.barInk.text, background: background),
                       maxWidth: width - 4)
        }
    }
}
