import BlocktopSupport
import DashboardModel

/// A watched cluster's workers in place of the cores panel, grouped by host: a row per host
/// (its workers, threads, cores and CPU together), the host's cores as bars when a worker
/// reads them, then a row per worker with its CPU%, memory and executing tasks, and a bar of
/// its CPU over its threads when its host's cores are unknown; a worker that left shows `gone`.
///
/// When the rows run short, the cores get fewer rows (compact bars, then a level glyph each);
/// when even a row each does not fit, each host takes one row: its summary, then its cores
/// (or its workers) as level glyphs.
struct ClusterWorkersWidget {
    let model: DashboardModel
    let view: ViewState

    /// A host as the panel draws it.
    private struct Host {
        var name: String
        var workers: [ClusterWorkerReading]
        /// Its cores' busy %, when a worker reads them.
        var cores: [Double]?
    }

    /// Columns the cores are indented by, under their host's row.
    private static let coreIndent = 2

    /// Rows the panel wants inside a box `width` wide inside for `workers`: per host a row,
    /// its cores' bars (when known) and a row per worker.
    static func rowsWanted(_ workers: [ClusterWorkerReading], width: Int) -> Int {
        hosts(workers).reduce(0) { $0 + 1 + $1.workers.count + coreRowsWanted($1, width: width - coreIndent) }
    }

    private static func hosts(_ workers: [ClusterWorkerReading]) -> [Host] {
        ClusterWorkerReading.byHost(workers).map { Host(name: $0.host, workers: $0.workers, cores: ClusterWorkerReading.hostCores($0.workers)) }
    }

    /// Rows of bars with their % that hold `host`'s cores; 0 when they are unknown.
    private static func coreRowsWanted(_ host: Host, width: Int) -> Int {
        host.cores.map { CoreBarsWidget.rowsWanted(cores: $0.count, width: width) } ?? 0
    }

    func draw(into frame: inout Frame, _ rect: Rect) {
        let theme = view.theme
        let workers = model.machine?.clusterWorkers ?? []
        let hosts = Self.hosts(workers)
        let present = workers.filter(\.present).count
        frame.box(rect, title: "workers (\(present) on \(hosts.count) host\(hosts.count == 1 ? "" : "s"))", color: theme.cpuBox,
                  titleColor: theme.ink.title, background: theme.background, glyphs: view.glyphs)
        let inner = rect.inset(1)
        guard !inner.isEmpty else { return }
        guard let coreRows = coreRows(hosts, in: inner) else {
            drawHostRows(hosts, into: &frame, inner)
            return
        }
        let nameWidth = min(16, workers.map(\.name.count).max() ?? 1)
        let bars = CoreBarsWidget(model: model, view: view)
        var y = inner.y
        for (host, rows) in zip(hosts, coreRows) {
            frame.text(summary(host), x: inner.x, y: y, style: view.style(theme.ink.title), maxWidth: inner.width)
            y += 1
            if let cores = host.cores {
                var area = Rect(x: inner.x + Self.coreIndent, y: y, width: inner.width - Self.coreIndent, height: rows)
                let arrangement = CoreBarsWidget.arrangement(cores: cores.count, width: area.width, height: rows)
                // Level glyphs take only the rows they fill.
                if arrangement == .glyphs { area.height = min(rows, (cores.count + area.width - 1) / max(1, area.width)) }
                bars.drawCores(ClusterWorkerReading.loads(ofHost: host.workers), arrangement: arrangement, into: &frame, area)
                y += area.height
            }
            for worker in host.workers {
                row(worker, bar: host.cores == nil, nameWidth: nameWidth, into: &frame, Rect(x: inner.x, y: y, width: inner.width, height: 1))
                y += 1
            }
        }
    }

    /// Rows each host's cores get in `rect` beside a row per host and per worker: what their
    /// bars want when all fit, else a share of the rows left (at least one); nil when not even
    /// one each fits.
    private func coreRows(_ hosts: [Host], in rect: Rect) -> [Int]? {
        let wanted = hosts.map { Self.coreRowsWanted($0, width: rect.width - Self.coreIndent) }
        let spare = rect.height - hosts.reduce(0) { $0 + 1 + $1.workers.count }
        if wanted.reduce(0, +) <= spare { return wanted }
        let withCores = hosts.count { $0.cores != nil }
        guard spare >= withCores else { return nil }
        return wanted.map { min($0, max(1, spare / withCores)) }
    }

    /// A row per host: its summary, then its cores (or its workers' CPU) as level glyphs; the
    /// last row says how many hosts did not fit.
    private func drawHostRows(_ hosts: [Host], into frame: inout Frame, _ rect: Rect) {
        let bars = CoreBarsWidget(model: model, view: view)
        // The summaries keep at least half the width; the glyphs take what they need of the rest.
        let glyphs = hosts.map { ClusterWorkerReading.loads(ofHost: $0.workers).count }.max() ?? 0
        let summaryWidth = min(hosts.map { summary($0).count }.max() ?? 0, max(rect.width / 2, rect.width - 1 - glyphs))
        let fitting = hosts.count <= rect.height ? hosts.count : rect.height - 1
        for (index, host) in hosts.prefix(fitting).enumerated() {
            let y = rect.y + index
            frame.text(Format.clip(summary(host), summaryWidth), x: rect.x, y: y, style: view.style(view.theme.ink.title))
            let strip = Rect(x: rect.x + summaryWidth + 1, y: y, width: rect.width - summaryWidth - 1, height: 1)
            bars.drawCores(ClusterWorkerReading.loads(ofHost: host.workers), arrangement: .glyphs, into: &frame, strip)
        }
        if fitting < hosts.count {
            frame.text("… \(hosts.count - fitting) more hosts", x: rect.x, y: rect.y + fitting, style: view.style(view.theme.ink.label),
                       maxWidth: rect.width)
        }
    }

    /// `127.0.0.1  2 workers · 2 threads · 4 cores · CPU 120%`: the workers still there.
    private func summary(_ host: Host) -> String {
        let live = host.workers.filter(\.present)
        let dot = " \(view.glyphs.separator) "
        return "\(host.name)  \(live.count) worker\(live.count == 1 ? "" : "s")\(dot)\(live.reduce(0) { $0 + $1.threads }) threads"
            + (host.cores.map { "\(dot)\($0.count) cores" } ?? "") + "\(dot)CPU \(Int(live.reduce(0) { $0 + $1.cpu }.rounded()))%"
    }

    /// `  name ████──── 95%  1.2 GB ▶1`; without `bar`, the figures alone at the same place.
    private func row(_ worker: ClusterWorkerReading, bar: Bool, nameWidth: Int, into frame: inout Frame, _ rect: Rect) {
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
        if bar, barWidth >= 3 {
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

extension ClusterWorkersWidget: Panel {
    var slot: PanelSlot { .band }
    var applies: Bool { model.capabilities.contains(.clusterWorkers) }
    var demand: PanelDemand {
        let workers = model.machine?.clusterWorkers ?? []
        return PanelDemand { width, _ in Self.rowsWanted(workers, width: width - 2) + 2 }
    }
}
