import DashboardModel

/// A lane per worker: its last seconds of tasks as a timeline (dask's "task stream"), newest on
/// the right, each cell in the colour of the operation that took most of its time; the worker
/// thread's CPU% over the sampler's last second; a legend of the operations on the box's edge.
struct WorkerLanesWidget {
    let model: DashboardModel
    let view: ViewState

    func draw(into frame: inout Frame, _ rect: Rect) {
        let theme = view.theme, glyphs = view.glyphs
        frame.box(rect, title: "workers \(glyphs.separator) tasks last \(Int(view.laneSeconds))s by operation \(glyphs.separator) CPU% last 1s",
                  color: theme.workerBox,
                  titleColor: theme.ink.title, background: theme.background, glyphs: glyphs)
        drawLegend(into: &frame, rect)
        let inner = rect.inset(1)
        let workers = model.run.workerCount
        guard !inner.isEmpty, workers > 0 else { return }
        let label = String(workers - 1).count + 1
        let laneX = inner.x + 1 + label + 1
        let laneWidth = inner.width - (label + 2) - 6
        guard laneWidth > 0 else { return }
        let shown = workers > inner.height ? inner.height - 1 : workers
        let now = model.time
        let span = UInt64(view.laneSeconds * 1e9)
        let step = max(1, span / UInt64(laneWidth))
        let origin = now > step * UInt64(laneWidth) ? now - step * UInt64(laneWidth) : 0
        for worker in 0..<shown {
            let y = inner.y + worker
            frame.text("w\(worker)", x: inner.x + 1, y: y, style: view.style(theme.ink.worker(worker), bold: true))
            for column in 0..<laneWidth {
                let from = origin + UInt64(column) * step
                let cell = model.stream.occupancy(worker: worker, from: from, to: from + step, now: now)
                if let operation = cell.operation, cell.busy > 0 {
                    frame.put(glyphs.shade(cell.busy), x: laneX + column, y: y, style: view.style(theme.operation(operation)))
                } else {
                    frame.put(glyphs == .ascii ? " " : "─", x: laneX + column, y: y, style: view.style(theme.meterBackground))
                }
            }
            let cpu = model.machine?.workerCPU[safe: worker] ?? nil
            let text = cpu.map { "\(Int($0.rounded()))%" } ?? "--"
            frame.text(String(repeating: " ", count: max(0, 4 - text.count)) + text, x: laneX + laneWidth + 1, y: y,
                       style: view.style(theme.ink.load.at(cpu ?? 0)))
        }
        if shown < workers {
            frame.text("+\(workers - shown) more worker" + (workers - shown == 1 ? "" : "s"), x: inner.x + 1, y: inner.y + shown, style: view.style(theme.ink.label))
        }
    }

    /// Each operation of the run, a swatch in its colour then its name, along the bottom edge
    /// while they fit; then how many more there are.
    private func drawLegend(into frame: inout Frame, _ rect: Rect) {
        let theme = view.theme
        let operations = model.run.operations
        guard operations.count > 1 || operations.first != "task" else { return }
        let y = rect.y + rect.height - 1, end = rect.x + rect.width - 2
        var x = rect.x + 2
        for (index, name) in operations.enumerated() {
            // Room for this one, and for saying how many are left after it should the next not fit.
            let after = operations.count - index - 1
            guard x + 3 + name.count + (after > 0 ? " +\(after) more".count : 0) <= end else {
                frame.text(" +\(operations.count - index) more ", x: x, y: y, style: view.style(theme.ink.label))
                return
            }
            x = frame.text(" ", x: x, y: y, style: view.style(theme.ink.label))
            frame.put(view.glyphs.full, x: x, y: y, style: view.style(theme.operation(index)))
            x = frame.text(" " + name, x: x + 1, y: y, style: view.style(theme.ink.operation(index)))
        }
        frame.text(" ", x: x, y: y, style: view.style(theme.ink.label))
    }
}

extension Array {
    /// The element at `index`, or nil outside the array.
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

extension WorkerLanesWidget: Panel {
    var slot: PanelSlot { .lanes }
    var demand: PanelDemand { Self.demand(workers: model.run.workerCount) }

    /// A lane per worker in its box.
    static func demand(workers: Int) -> PanelDemand {
        PanelDemand { _, _ in workers + 2 }
    }
}
