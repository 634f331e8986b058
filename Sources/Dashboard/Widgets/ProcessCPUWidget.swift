import DashboardModel
import Themes

/// The process's total CPU% as a large number (over the last second while the run goes, its
/// average once it ended, and labelled so), its recent history as a sparkline, and the parallel
/// efficiency (CPU% ÷ workers, at most 100%; a cluster's against the threads of its workers).
struct ProcessCPUWidget {
    let model: DashboardModel
    let view: ViewState

    func draw(into frame: inout Frame, _ rect: Rect) {
        let theme = view.theme
        frame.box(rect, title: "process cpu", color: theme.cpuBox, titleColor: theme.ink.title,
                  background: theme.background, glyphs: view.glyphs)
        let inner = rect.inset(1)
        guard inner.height >= 3, inner.width >= 10 else { return }
        let cpu = model.processCPU
        let scale = max(100, 100 * max(model.run.capacity, Double(model.run.workerCount)))
        let color = theme.process.at((cpu ?? 0) / scale * 100)
        let digits = cpu.map { "\(Int($0.rounded()))%" } ?? "--%"
        let width = BigDigits.draw(digits, into: &frame, x: inner.x + 1, y: inner.y,
                                   style: view.style(color, bold: true), glyphs: view.glyphs)
        let side = inner.x + 1 + width + 1
        // Once the run has ended the number is its average, not the idle moment after it.
        let label = model.state.isFinal ? "CPU, run avg" : "CPU now"
        frame.text(label, x: side, y: inner.y, style: view.style(theme.ink.label), maxWidth: inner.x + inner.width - side)
        frame.text("of \(Int(scale))%", x: side, y: inner.y + 1, style: view.style(theme.ink.label),
                   maxWidth: inner.x + inner.width - side)

        let efficiencyRow = inner.y + inner.height - 1
        let efficiency = model.efficiency.map { "\(Int(($0 * 100).rounded()))%" } ?? "--"
        // A cluster's efficiency is against its workers' threads, those there now, not the lanes of those that left.
        let threads = model.capabilities.contains(.clusterWorkers)
            ? model.machine?.clusterWorkers.map { $0.filter(\.present).reduce(0) { $0 + $1.threads } } : nil
        let workers = threads.map { "\($0) thread" + ($0 == 1 ? "" : "s") }
            ?? "\(model.run.workerCount) worker" + (model.run.workerCount == 1 ? "" : "s")
        // The longest wording that fits: the figure is never cut.
        let wordings = ["efficiency \(efficiency) of \(workers)", "eff. \(efficiency) of \(workers)", "efficiency \(efficiency)",
                        "eff. \(efficiency)"]
        let line = wordings.first { $0.count <= inner.width - 1 } ?? wordings[wordings.count - 1]
        frame.text(line, x: inner.x + 1, y: efficiencyRow, style: view.style(theme.ink.text), maxWidth: inner.width - 1)
        let graph = Rect(x: inner.x + 1, y: inner.y + 3, width: inner.width - 2, height: efficiencyRow - inner.y - 3)
        Sparkline(values: model.cpuHistory, maximum: scale, gradient: theme.process, view: view).draw(into: &frame, graph)
    }
}

/// A history of values as columns of level glyphs, newest on the right, coloured by height.
struct Sparkline {
    let values: [Double]
    let maximum: Double
    let gradient: Gradient
    let view: ViewState

    func draw(into frame: inout Frame, _ rect: Rect) {
        guard !rect.isEmpty else { return }
        let shown = values.suffix(rect.width)
        let start = rect.x + rect.width - shown.count
        let levels = Double(view.glyphs.levels.count - 1)
        for (offset, value) in shown.enumerated() {
            let height = max(0, min(1, value / maximum)) * Double(rect.height)
            for row in 0..<rect.height {
                let filled = height - Double(row)
                guard filled > 0 else { break }
                let glyph = filled >= 1 ? view.glyphs.full : view.glyphs.level((filled * levels).rounded() / levels)
                let color = gradient.at(Double(row + 1) / Double(rect.height) * 100)
                frame.put(glyph, x: start + offset, y: rect.y + rect.height - 1 - row, style: view.style(color))
            }
        }
    }
}

extension ProcessCPUWidget: Panel {
    var slot: PanelSlot { .processCPU }
}
