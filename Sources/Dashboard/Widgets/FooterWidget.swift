import DashboardModel

/// The bottom row: the `:` prompt while it is open, else a message (a warning, what the last key
/// did) when there is one, else the keys the run's source can do.
///
/// Keys that do not fit are left out lowest priority first, never `h help` (which lists them
/// all). An expression that did not build takes three rows: its error, the prompt, and a caret
/// line under the mistake.
package struct FooterWidget {
    let view: ViewState
    /// What the run's source can do: the keys it cannot are not offered.
    let capabilities: SourceCapabilities

    /// The keys in the order shown, each with its priority (0 is kept longest) and what the
    /// source must be able to do for it.
    static let keys: [(key: String, action: String, priority: Int, needs: SourceCapabilities)] = [
        ("q", "quit", 1, []), ("space", "pause", 3, .pause), ("c", "cancel", 7, .cancel), ("r", "rerun", 4, .newRuns),
        ("[ ]", "block size", 5, .newRuns), ("+ -", "workers", 6, .newRuns), ("t", "theme", 8, []),
        (":", "expression", 2, .newRuns), ("h", "help", 0, []),
    ]

    /// Rows the footer takes: three for a prompt with an error, else one.
    static func height(_ view: ViewState) -> Int {
        view.prompt != nil && view.promptError != nil ? 3 : 1
    }

    /// The keys a source with `capabilities` can do that fit in `width` columns (each takes its
    /// key, a space, its action and two spaces, after a first blank), in the order shown.
    package static func keysShown(width: Int, capabilities: SourceCapabilities) -> [(key: String, action: String)] {
        var room = width - 1
        var kept = Set<Int>()
        let offered = keys.enumerated().filter { capabilities.isSuperset(of: $0.element.needs) }
        for (index, entry) in offered.sorted(by: { $0.element.priority < $1.element.priority }) {
            let needed = entry.key.count + entry.action.count + 3
            guard needed <= room else { continue }
            room -= needed
            kept.insert(index)
        }
        return keys.enumerated().filter { kept.contains($0.offset) }.map { ($0.element.key, $0.element.action) }
    }

    func draw(into frame: inout Frame, _ rect: Rect) {
        let theme = view.theme
        if let prompt = view.prompt {
            frame.fill(rect, style: view.style(theme.ink.text))
            drawPrompt(prompt, error: view.promptError, into: &frame, rect)
            return
        }
        if let message = view.message {
            frame.text(" " + message, x: rect.x, y: rect.y, style: view.style(theme.ink.highlight, bold: true), maxWidth: rect.width)
            return
        }
        var x = rect.x + 1
        for (key, action) in Self.keysShown(width: rect.width, capabilities: capabilities) {
            x = frame.text(key, x: x, y: rect.y, style: view.style(theme.ink.highlight, bold: true))
            x = frame.text(" " + action + "  ", x: x, y: rect.y, style: view.style(theme.ink.label))
        }
        let themeName = "theme: \(theme.name) "
        if x + themeName.count <= rect.x + rect.width {
            frame.text(themeName, x: rect.x + rect.width - themeName.count, y: rect.y, style: view.style(theme.ink.inactive))
        }
    }

    /// `:` and the text typed, with the cursor on the scalar it stands before (a block after the
    /// end); the text scrolls to keep the cursor in view, with `…` where it goes on out of view.
    /// With an error: the message on the row above, carets under the mistake on the row below.
    private func drawPrompt(_ prompt: PromptLine, error: PromptError?, into frame: inout Frame, _ rect: Rect) {
        let theme = view.theme, glyphs = view.glyphs
        let y = error == nil ? rect.y : rect.y + 1
        let textX = rect.x + 1
        let window = Self.window(count: prompt.scalars.count, cursor: prompt.cursor, width: rect.width - 2)
        frame.put(":", x: rect.x, y: y, style: view.style(theme.ink.highlight, bold: true))
        for index in window {
            let x = textX + index - window.lowerBound
            if index == prompt.cursor {
                let under = index < prompt.scalars.count ? prompt.scalars[index] : (glyphs == .ascii ? "_" : glyphs.full)
                // On a character: that character in reverse video; after the end: a block.
                let reverse = index < prompt.scalars.count
                frame.put(under, x: x, y: y, style: Style(foreground: theme.ink.highlight, background: theme.background, reverse: reverse))
            } else if index < prompt.scalars.count {
                frame.put(prompt.scalars[index], x: x, y: y, style: view.style(theme.ink.text))
            }
        }
        let more: Unicode.Scalar = glyphs == .ascii ? "<" : "…"
        if window.lowerBound > 0 { frame.put(more, x: textX, y: y, style: view.style(theme.ink.inactive)) }
        if window.upperBound < prompt.scalars.count {
            frame.put(glyphs == .ascii ? ">" : "…", x: textX + window.count - 1, y: y, style: view.style(theme.ink.inactive))
        }
        guard let error else { return }
        var message = "error: " + error.message
        if let range = error.range {
            let marked = range.isEmpty ? range.lowerBound..<(range.lowerBound + 1) : range
            let visible = marked.clamped(to: window)
            for index in visible {
                frame.put("^", x: textX + index - window.lowerBound, y: rect.y + 2, style: view.style(theme.ink.failed, bold: true))
            }
            if visible.isEmpty { message += " (at column \(marked.lowerBound + 1), out of view)" }
        }
        frame.text(" " + Format.clip(message, rect.width - 2), x: rect.x, y: rect.y, style: view.style(theme.ink.failed, bold: true))
    }

    /// The scalars of a text of `count` scalars shown in `width` cells with the cursor at
    /// `cursor` (which may be `count`, the cell after the text): all when they fit, else a window
    /// that holds the cursor, as far right as it can be (the end in view while typing).
    static func window(count: Int, cursor: Int, width: Int) -> Range<Int> {
        let width = max(1, width)
        let cells = count + 1
        guard cells > width else { return 0..<cells }
        let start = max(0, min(cursor - width / 2, cells - width))
        // Typing at the end keeps the end in view; moving back shows half a screen before the cursor.
        return start..<(start + width)
    }
}

extension FooterWidget: Panel {
    var slot: PanelSlot { .footer }
    var demand: PanelDemand {
        let rows = Self.height(view)
        return PanelDemand { _, _ in rows }
    }
}
