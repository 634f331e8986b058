/// A lane per worker: its last seconds of tasks as a timeline (dask's "task stream"),
/// newest on the right, and the worker thread's CPU% over the sampler's last second.
struct WorkerLanesWidget {
    let model: DashboardModel
    let view: ViewState

    func draw(into frame: inout Frame, _ rect: Rect) {
        let theme = view.theme, glyphs = view.glyphs
        frame.box(rect, title: "workers \(glyphs.separator) tasks last \(Int(view.laneSeconds))s \(glyphs.separator) CPU% last 1s",
                  color: theme.workerBox,
                  titleColor: theme.ink.title, background: theme.background, glyphs: glyphs)
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
            let color = theme.worker(worker)
            frame.text("w\(worker)", x: inner.x + 1, y: y, style: view.style(theme.ink.worker(worker), bold: true))
            for column in 0..<laneWidth {
                let from = origin + UInt64(column) * step
                let busy = model.stream.occupancy(worker: worker, from: from, to: from + step, now: now).busy
                let glyph = busy > 0 ? glyphs.shade(busy) : (glyphs == .ascii ? " " : "─")
                frame.put(glyph, x: laneX + column, y: y, style: view.style(busy > 0 ? color : theme.meterBackground))
            }
            let cpu = model.machine?.workerCPU[safe: worker] ?? nil
            let text = cpu.map { "\(Int($0.rounded()))%" } ?? "--"
            frame.text(String(repeating: " ", count: max(0, 4 - text.count)) + text, x: laneX + laneWidth + 1, y: y,
                       style: view.style(theme.ink.load.at(cpu ?? 0)))
        }
        if shown < workers {
            frame.text("+\(workers - shown) more workers", x: inner.x + 1, y: inner.y + shown, style: view.style(theme.ink.label))
        }
    }
}

extension Array {
    /// The element at `index`, or nil outside the array.
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
