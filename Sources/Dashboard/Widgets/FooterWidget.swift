/// The bottom row: the `:` prompt while it is open, else a message (a warning, what the last key
/// did) when there is one, else the keys.
struct FooterWidget {
    let view: ViewState

    static let keys: [(key: String, action: String)] = [
        ("q", "quit"), ("space", "pause"), ("c", "cancel"), ("r", "rerun"), ("[ ]", "block size"),
        ("+ -", "workers"), ("t", "theme"), (":", "expression"), ("h", "help"),
    ]

    func draw(into frame: inout Frame, _ rect: Rect) {
        let theme = view.theme
        if let prompt = view.prompt {
            drawPrompt(prompt, into: &frame, rect)
            return
        }
        if let message = view.message {
            frame.text(" " + message, x: rect.x, y: rect.y, style: view.style(theme.ink.highlight, bold: true), maxWidth: rect.width)
            return
        }
        var x = rect.x + 1
        for (key, action) in Self.keys {
            guard x + key.count + action.count + 2 <= rect.x + rect.width else { break }
            x = frame.text(key, x: x, y: rect.y, style: view.style(theme.ink.highlight, bold: true))
            x = frame.text(" " + action + "  ", x: x, y: rect.y, style: view.style(theme.ink.label))
        }
        let themeName = "theme: \(theme.name) "
        if x + themeName.count <= rect.x + rect.width {
            frame.text(themeName, x: rect.x + rect.width - themeName.count, y: rect.y, style: view.style(theme.ink.inactive))
        }
    }

    /// `:` and the text typed so far, then the cursor; the text's end stays in view when it is long.
    private func drawPrompt(_ prompt: String, into frame: inout Frame, _ rect: Rect) {
        let theme = view.theme
        let room = max(0, rect.width - 3)
        let scalars = Array(prompt.unicodeScalars)
        var shown = String.UnicodeScalarView()
        shown.append(contentsOf: scalars.suffix(room))
        var x = frame.text(":", x: rect.x, y: rect.y, style: view.style(theme.ink.highlight, bold: true))
        x = frame.text(String(shown), x: x, y: rect.y, style: view.style(theme.ink.text))
        frame.put(view.glyphs == .ascii ? "_" : view.glyphs.full, x: x, y: rect.y, style: view.style(theme.ink.highlight))
    }
}
