/// One bar per core, htop style: blocktop's share of the core and other processes' share in
/// two colours and glyphs (a legend in the top edge names them), then the busy %.
///
/// Cores fill columns top to bottom. When the bars do not fit the box even in many
/// columns (a big machine in a small terminal), each core becomes one level glyph, and
/// when even those do not fit, each glyph stands for the average of several cores.
package struct CoreBarsWidget {
    let model: DashboardModel
    let view: ViewState

    /// Narrowest bar entry: label, space, a 6-cell bar, space, "100%".
    package static let minimumEntryWidth = 16

    /// Rows the bars want in a box `width` wide inside: the columns that fit, then rows to hold every core.
    package static func rowsWanted(cores: Int, width: Int) -> Int {
        let columns = max(1, min(8, (width + 1) / (minimumEntryWidth + 4)))
        return (max(1, cores) + columns - 1) / columns
    }

    func draw(into frame: inout Frame, _ rect: Rect) {
        let theme = view.theme
        let cores = model.machine?.cores ?? []
        let title = cores.isEmpty ? "cores" : "cores (\(cores.count))"
        frame.box(rect, title: title, color: theme.cpuBox, titleColor: theme.ink.title,
                  background: theme.background, glyphs: view.glyphs)
        let inner = rect.inset(1)
        guard !inner.isEmpty, !cores.isEmpty else { return }
        let columns = (cores.count + inner.height - 1) / inner.height
        let entryWidth = (inner.width - (columns - 1)) / columns
        if entryWidth >= Self.minimumEntryWidth {
            legend(into: &frame, rect, after: title)
            let label = String(cores.count - 1).count
            for (id, core) in cores.enumerated() {
                let x = inner.x + (id / inner.height) * (entryWidth + 1)
                bar(core, id: id, labelWidth: label, into: &frame, Rect(x: x, y: inner.y + id % inner.height, width: entryWidth, height: 1))
            }
        } else {
            mini(cores, into: &frame, inner)
        }
    }

    private func bar(_ core: CoreLoad?, id: Int, labelWidth: Int, into frame: inout Frame, _ rect: Rect) {
        let theme = view.theme, glyphs = view.glyphs
        let label = String(id)
        frame.text(String(repeating: " ", count: labelWidth - label.count) + label, x: rect.x, y: rect.y,
                   style: view.style(theme.ink.label))
        let percent = core.map { "\(Int($0.busy.rounded()))%" } ?? "off"
        let barX = rect.x + labelWidth + 1
        let barWidth = rect.width - labelWidth - 1 - 5
        let own = min(barWidth, Int(((core?.own ?? 0) / 100 * Double(barWidth)).rounded()))
        let others = min(barWidth - own, Int(((core?.busy ?? 0) / 100 * Double(barWidth)).rounded()) - own)
        let empty = Style(foreground: theme.meterBackground, background: theme.background)
        for offset in 0..<barWidth {
            if offset < own {
                frame.put(glyphs.full, x: barX + offset, y: rect.y, style: view.style(theme.cpuOwn))
            } else if offset < own + max(0, others) {
                frame.put(glyphs.others, x: barX + offset, y: rect.y, style: view.style(theme.cpuOthers))
            } else {
                frame.put(glyphs == .ascii ? " " : "─", x: barX + offset, y: rect.y, style: empty)
            }
        }
        let text = String(repeating: " ", count: max(0, 4 - percent.count)) + percent
        frame.text(text, x: barX + barWidth + 1, y: rect.y, style: view.style(theme.ink.load.at(core?.busy ?? 0)))
    }

    /// "█ blocktop ▒ others" in the box's top edge, right-aligned, when it fits after the title.
    private func legend(into frame: inout Frame, _ rect: Rect, after title: String) {
        let theme = view.theme, glyphs = view.glyphs
        let items: [(Unicode.Scalar, RGB, String)] = [(glyphs.full, theme.cpuOwn, "blocktop"), (glyphs.others, theme.cpuOthers, "others")]
        let width = items.reduce(1) { $0 + $1.2.count + 3 }
        // The title takes "╭─ title " and the legend wants a line cell on each side.
        var x = rect.x + rect.width - 2 - width
        guard x >= rect.x + 4 + title.unicodeScalars.count + 1 else { return }
        for (glyph, color, label) in items {
            frame.put(" ", x: x, y: rect.y, style: view.style(theme.ink.label))
            frame.put(glyph, x: x + 1, y: rect.y, style: view.style(color))
            x = frame.text(" " + label, x: x + 2, y: rect.y, style: view.style(theme.ink.label))
        }
        frame.put(" ", x: x, y: rect.y, style: view.style(theme.ink.label))
    }

    /// Each core (or group of cores) as one level glyph, in rows.
    private func mini(_ cores: [CoreLoad?], into frame: inout Frame, _ rect: Rect) {
        let slots = rect.width * rect.height
        let group = (cores.count + slots - 1) / slots
        let count = (cores.count + group - 1) / group
        for slot in 0..<count {
            let members = cores[(slot * group)..<min(cores.count, (slot + 1) * group)]
            let busy = members.reduce(0) { $0 + ($1?.busy ?? 0) } / Double(members.count)
            let idle = busy < 0.5
            frame.put(idle ? view.glyphs.levels[1] : view.glyphs.level(busy / 100),
                      x: rect.x + slot % rect.width, y: rect.y + slot / rect.width,
                      style: view.style(idle ? view.theme.meterBackground : view.theme.cpu.at(busy)))
        }
    }
}
