import BlocktopSupport

/// A watched cluster's workers in place of the cores panel, grouped by host: a row per host
/// (its workers, threads and CPU together), then a row per worker with a bar of its CPU over its
/// threads, its CPU%, memory and executing tasks; a worker that left shows `gone`.
struct ClusterWorkersWidget {
    let model: DashboardModel
    let view: ViewState

    /// Rows the panel wants for `workers`: one per host and one per worker.
    static func rowsWanted(_ workers: [ClusterWorkerReading]) -> Int {
        ClusterWorkerReading.byHost(workers).count + workers.count
    }

    func draw(into frame: inout Frame, _ rect: Rect) {
        let theme = view.theme
        let workers = model.machine?.clusterWorkers ?? []
        let hosts = ClusterWorkerReading.byHost(workers)
        let present = workers.filter(\.present).count
        frame.box(rect, title: "workers (\(present) on \(hosts.count) host\(hosts.count == 1 ? "" : "s"))", color: theme.cpuBox,
                  titleColor: theme.ink.title, background: theme.background, glyphs: view.glyphs)
        let inner = rect.inset(1)
        guard !inner.isEmpty else { return }
        let nameWidth = min(16, workers.map(\.name.count).max() ?? 1)
        var y = inner.y
        for (host, members) in hosts {
            guard y < inner.y + inner.height else { return }
            let live = members.filter(\.present)
            let summary = "\(host)  \(live.count) worker\(live.count == 1 ? "" : "s") \(view.glyphs.separator) "
                + "\(live.reduce(0) { $0 + $1.threads }) threads \(view.glyphs.separator) CPU \(Int(live.reduce(0) { $0 + $1.cpu }.rounded()))%"
            frame.text(summary, x: inner.x, y: y, style: view.style(theme.ink.title), maxWidth: inner.width)
            y += 1
            for worker in members where y < inner.y + inner.height {
                row(worker, nameWidth: nameWidth, into: &frame, Rect(x: inner.x, y: y, width: inner.width, height: 1))
                y += 1
            }
        }
    }

    /// `  name ████──── 95%  1.2 GB ▶1`
    private func row(_ worker: ClusterWorkerReading, nameWidth: Int, into frame: inout Frame, _ rect: Rect) {
        let theme = view.theme
        let x = frame.text("  " + Format.pad(Format.clip(worker.name, nameWidth), nameWidth) + " ", x: rect.x, y: rect.y,
                           style: view.style(theme.ink.label), maxWidth: rect.width)
        guard worker.present else {
            frame.text("gone", x: x, y: rect.y, style: view.style(theme.ink.inactive), maxWidth: rect.x + rect.width - x)
            return
        }
        let figures = " " + Format.pad("\(Int(worker.cpu.rounded()))%", 5, right: true) + " "
            + Format.pad(ByteCount.text(worker.memoryBytes), 9, right: true) + " ▶\(worker.executing)"
        let barWidth = rect.x + rect.width - x - figures.unicodeScalars.count
        if barWidth >= 3 {
            let share = worker.cpu / Double(max(1, worker.threads) * 100)
            let filled = min(barWidth, Int((share * Double(barWidth)).rounded()))
            let empty = Style(foreground: theme.meterBackground, background: theme.background)
            for offset in 0..<barWidth {
                if offset < filled {
                    frame.put(view.glyphs.full, x: x + offset, y: rect.y, style: view.style(theme.cpu.at(share * 100)))
                } else {
                    frame.put(view.glyphs == .ascii ? " " : "─", x: x + offset, y: rect.y, style: empty)
                }
            }
        }
        frame.text(figures, x: x + max(0, barWidth), y: rect.y, style: view.style(theme.ink.text), maxWidth: rect.x + rect.width - x)
    }
}
