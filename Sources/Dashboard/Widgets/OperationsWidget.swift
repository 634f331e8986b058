import DashboardModel

/// One line per operation, as dask's progress page: its colour (as in the task stream), its
/// name, a bar of its tasks done, done/total, and the worker time its finished tasks took.
struct OperationsWidget {
    let model: DashboardModel
    let view: ViewState

    func draw(into frame: inout Frame, _ rect: Rect) {
        let theme = view.theme, glyphs = view.glyphs
        frame.box(rect, title: "operations \(glyphs.separator) done \(glyphs.separator) worker time", color: theme.memoryBox,
                  titleColor: theme.ink.title, background: theme.background, glyphs: glyphs)
        let inner = rect.inset(1)
        guard inner.width > 12, inner.height > 0 else { return }
        let names = model.run.operations
        let counts = model.operationProgress.map { "\(Format.count($0.done))/\(Format.count($0.total))" }
        let countWidth = counts.map(\.count).max() ?? 0
        let nameWidth = min(names.map(\.unicodeScalars.count).max() ?? 0, max(4, inner.width / 3))
        let shown = names.count > inner.height ? inner.height - 1 : names.count
        for index in 0..<shown {
            let progress = model.operationProgress[index], y = inner.y + index
            var x = inner.x + 1
            frame.put(glyphs.full, x: x, y: y, style: view.style(theme.operation(index)))
            x = frame.text(" " + Format.pad(Format.clip(names[index], nameWidth), nameWidth) + " ", x: x + 1, y: y,
                           style: view.style(theme.ink.operation(index)))
            let time = Format.duration(progress.busySeconds)
            let tail = " " + String(repeating: " ", count: countWidth - counts[index].count) + counts[index] + " " + Format.pad(time, 6, right: true)
            let barWidth = inner.x + inner.width - 1 - x - tail.count
            if barWidth >= 3 {
                let filled = progress.total > 0 ? Int((Double(barWidth) * Double(progress.done) / Double(progress.total)).rounded(.down)) : 0
                for column in 0..<barWidth {
                    let done = column < filled
                    frame.put(done ? glyphs.full : (glyphs == .ascii ? "-" : "─"), x: x + column, y: y,
                              style: view.style(done ? theme.operation(index) : theme.meterBackground))
                }
                x += barWidth
            }
            let failed = progress.failed > 0
            frame.text(tail, x: x, y: y, style: view.style(failed ? theme.ink.failed : theme.ink.text), maxWidth: inner.x + inner.width - x)
        }
        if shown < names.count {
            frame.text("+\(names.count - shown) more operations", x: inner.x + 1, y: inner.y + shown, style: view.style(theme.ink.label))
        }
    }
}

extension OperationsWidget: Panel {
    var slot: PanelSlot { .operations }
    /// One operation says nothing the progress box does not.
    var applies: Bool { model.run.operations.count > 1 }
    var demand: PanelDemand { Self.demand(operations: model.run.operations.count) }

    /// A row per operation in its box, at least two; it goes under the progress box first.
    static func demand(operations: Int) -> PanelDemand {
        PanelDemand(priority: 1, minimumHeight: 4) { _, _ in operations + 2 }
    }
}
