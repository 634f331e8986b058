/// What a terminal below the minimum size shows: a centred "terminal too small: need W×H".
struct TooSmallScreen {
    let view: ViewState

    func draw(into frame: inout Frame) {
        let times = view.glyphs.times
        let lines = [
            "terminal too small: need \(DashboardLayout.minimumWidth)\(times)\(DashboardLayout.minimumHeight)",
            "now \(frame.width)\(times)\(frame.height) \(view.glyphs.separator) q quits",
        ]
        let top = max(0, frame.height / 2 - 1)
        for (row, line) in lines.enumerated() {
            let clipped = Format.clip(line, frame.width)
            frame.text(clipped, x: max(0, (frame.width - clipped.unicodeScalars.count) / 2), y: top + row,
                       style: view.style(row == 0 ? view.theme.ink.highlight : view.theme.ink.text, bold: row == 0))
        }
    }
}
