import DashboardModel
import Themes

/// One bar per core, htop style: blocktop's share of the core and other processes' share in
/// two colours and glyphs (a legend in the top edge names them), then the busy %.
///
/// Cores fill balanced columns, top to bottom. The panel uses what room it has:
/// - few cores and rows to spare: under each core's bar, that core's recent load as a sparkline
///   (its span in the bottom edge);
/// - many cores: more columns of compact bars (the label and the two shares, no %);
/// - more cores than even those fit (a big machine in a small terminal): each core becomes one
///   level glyph, and when even those do not fit, each glyph stands for the average of several.
package struct CoreBarsWidget {
    let model: DashboardModel
    let view: ViewState

    /// Narrowest bar entry: label, space, a 6-cell bar, space, "100%".
    package static let minimumEntryWidth = 16
    /// Narrowest compact bar (after its label and a space).
    package static let minimumCompactBarWidth = 3

    /// How the cores are drawn in a box `width`×`height` inside.
    package enum Arrangement: Equatable, Sendable {
        /// Bars with their %, in `columns`; each core takes a bar row and `historyRows` rows of its history.
        case bars(columns: Int, historyRows: Int)
        /// Bars without %, in `columns`.
        case compact(columns: Int)
        /// A level glyph per core (or per group of cores).
        case glyphs
    }

    /// How `cores` cores fit in `width`×`height` cells.
    package static func arrangement(cores: Int, width: Int, height: Int) -> Arrangement {
        guard cores > 0, width > 0, height > 0 else { return .glyphs }
        let columns = (cores + height - 1) / height
        let entryWidth = (width - (columns - 1)) / columns
        if entryWidth >= minimumEntryWidth {
            let perColumn = (cores + columns - 1) / columns
            return .bars(columns: columns, historyRows: height / perColumn - 1)
        }
        if entryWidth >= String(cores - 1).count + 1 + minimumCompactBarWidth { return .compact(columns: columns) }
        return .glyphs
    }

    /// Rows the bars want in a box `width` wide inside, in a body of `bodyHeight` rows: the
    /// columns that fit, then rows to hold every core; when the cores are few enough that a bar
    /// and a row of history each take at most a quarter of the body, those rows.
    package static func rowsWanted(cores: Int, width: Int, bodyHeight: Int = 0) -> Int {
        let columns = max(1, min(8, (width + 1) / (minimumEntryWidth + 4)))
        let bars = (max(1, cores) + columns - 1) / columns
        let withHistory = 2 * max(1, cores)
        return withHistory <= bodyHeight / 4 ? max(bars, withHistory) : bars
    }

    func draw(into frame: inout Frame, _ rect: Rect) {
        let theme = view.theme
        let cores = model.machine?.cores ?? []
        let title = cores.isEmpty ? "cores" : "cores (\(cores.count))"
        frame.box(rect, title: title, color: theme.cpuBox, titleColor: theme.ink.title,
                  background: theme.background, glyphs: view.glyphs)
        let inner = rect.inset(1)
        guard !inner.isEmpty, !cores.isEmpty else { return }
        let arrangement = Self.arrangement(cores: cores.count, width: inner.width, height: inner.height)
        if arrangement != .glyphs { legend(into: &frame, rect, after: title) }
        let shown = drawCores(cores, arrangement: arrangement, history: model.coreHistory, into: &frame, inner)
        if case .bars(_, let historyRows) = arrangement, historyRows > 0 { historySpan(readings: shown, into: &frame, rect) }
    }

    /// Draws `cores` in `rect` as `arrangement` says, each core's `history` under its bar when
    /// the arrangement gives rows for it; returns how many readings the histories show.
    @discardableResult
    func drawCores(_ cores: [CoreLoad?], arrangement: Arrangement, history: [[Double]] = [], into frame: inout Frame, _ rect: Rect) -> Int {
        guard !cores.isEmpty, !rect.isEmpty else { return 0 }
        let columns: Int, historyRows: Int
        switch arrangement {
        case .bars(let count, let rows): (columns, historyRows) = (count, rows)
        case .compact(let count): (columns, historyRows) = (count, 0)
        case .glyphs:
            mini(cores, into: &frame, rect)
            return 0
        }
        let label = String(cores.count - 1).count
        let entryWidth = (rect.width - (columns - 1)) / columns
        let perColumn = (cores.count + columns - 1) / columns
        var shown = 0
        for (id, core) in cores.enumerated() {
            let x = rect.x + (id / perColumn) * (entryWidth + 1)
            let y = rect.y + (id % perColumn) * (historyRows + 1)
            bar(core, id: id, labelWidth: label, percent: arrangement != .compact(columns: columns), into: &frame,
                Rect(x: x, y: y, width: entryWidth, height: 1))
            if historyRows > 0 {
                let area = Rect(x: x + label + 1, y: y + 1, width: entryWidth - label - 1 - 5, height: historyRows)
                shown = drawHistory(history[safe: id] ?? [], into: &frame, area)
            }
        }
        return shown
    }

    /// A core's label, its bar (blocktop's share, then others'), and with `percent` its busy %.
    private func bar(_ core: CoreLoad?, id: Int, labelWidth: Int, percent: Bool, into frame: inout Frame, _ rect: Rect) {
        let theme = view.theme, glyphs = view.glyphs
        let label = String(id)
        frame.text(String(repeating: " ", count: labelWidth - label.count) + label, x: rect.x, y: rect.y,
                   style: view.style(theme.ink.label))
        let barX = rect.x + labelWidth + 1
        let barWidth = rect.width - labelWidth - 1 - (percent ? 5 : 0)
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
        guard percent else { return }
        let text = core.map { "\(Int($0.busy.rounded()))%" } ?? "off"
        frame.text(String(repeating: " ", count: max(0, 4 - text.count)) + text, x: barX + barWidth + 1, y: rect.y,
                   style: view.style(theme.ink.load.at(core?.busy ?? 0)))
    }

    /// A core's busy % over its last readings, newest on the right, a reading a column, each
    /// column as tall as the load and in the load's colour; returns how many readings it shows.
    private func drawHistory(_ values: [Double], into frame: inout Frame, _ rect: Rect) -> Int {
        guard !rect.isEmpty else { return 0 }
        let shown = values.suffix(rect.width)
        let start = rect.x + rect.width - shown.count
        let levels = Double(view.glyphs.levels.count - 1)
        for (offset, value) in shown.enumerated() {
            let height = max(0, min(1, value / 100)) * Double(rect.height)
            let style = view.style(view.theme.cpu.at(value))
            for row in 0..<rect.height {
                let filled = height - Double(row)
                guard filled > 0 else { break }
                let glyph = filled >= 1 ? view.glyphs.full : view.glyphs.level((filled * levels).rounded() / levels)
                frame.put(glyph, x: start + offset, y: rect.y + rect.height - 1 - row, style: style)
            }
        }
        return shown.count
    }

    /// "history 8.0s" in the bottom edge, right-aligned: the time the sparklines span.
    private func historySpan(readings: Int, into frame: inout Frame, _ rect: Rect) {
        let times = model.coreHistoryTimes
        guard readings > 1, times.count >= readings else { return }
        let seconds = Double(times[times.count - 1] - times[times.count - readings]) / 1e9
        let text = " load history \(Format.duration(seconds)) "
        let x = rect.x + rect.width - 2 - text.count
        guard x > rect.x + 1 else { return }
        frame.text(text, x: x, y: rect.y + rect.height - 1, style: view.style(view.theme.ink.label))
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

extension CoreBarsWidget: Panel {
    var slot: PanelSlot { .band }
    /// A source's cores, unless it shows a cluster's workers in their place.
    var applies: Bool { model.capabilities.contains(.coreBars) && !model.capabilities.contains(.clusterWorkers) }
    var demand: PanelDemand { Self.demand(cores: model.machine?.cores.count ?? 0) }

    /// The rows the bars of `cores` cores want (see `rowsWanted`).
    static func demand(cores: Int) -> PanelDemand {
        PanelDemand { width, bodyHeight in rowsWanted(cores: cores, width: width - 2, bodyHeight: bodyHeight) + 2 }
    }
}
