import BlocktopSupport
import DashboardModel
import Themes

/// Progress (tasks done of all, %, tasks/s, GFLOP/s when the tasks' flops are known, ETA) and
/// memory (RSS, bytes held in blocks for tasks now and at peak, the whole system's memory in use;
/// for a cluster, its workers' memory against their limits), in one box beside the grid.
struct ProgressWidget {
    let model: DashboardModel
    let view: ViewState

    func draw(into frame: inout Frame, _ rect: Rect) {
        let theme = view.theme
        frame.box(rect, title: "progress", color: theme.memoryBox, titleColor: theme.ink.title,
                  background: theme.background, glyphs: view.glyphs)
        let inner = rect.inset(1)
        guard inner.width > 4 else { return }
        let run = model.run
        let fraction = model.fractionDone
        var lines: [(label: String, value: String)] = [
            ("tasks", "\(Format.count(model.tasksDone)) / \(Format.count(run.taskCount))  \(Format.fixed(fraction * 100, 1))%"),
        ]
        var barRow: Int?
        lines.append(("", ""))
        barRow = 1
        lines.append(("rate", "\(Format.rate(model.tasksPerSecond)) tasks/s"))
        // A cluster's tasks come without flop counts: no speed rather than a false 0.
        if model.totalFlops > 0 { lines.append(("speed", "\(Format.rate(model.flopsPerSecond / 1e9)) GFLOP/s")) }
        if model.state.isFinal {
            lines.append(("took", Format.duration(model.elapsedSeconds)))
        } else {
            lines.append(("ETA", model.etaSeconds.map(Format.duration) ?? "--"))
        }
        if model.tasksFailed > 0 { lines.append(("failed", Format.count(model.tasksFailed))) }
        if let machine = model.machine, model.capabilities.contains(.clusterWorkers) {
            // The workers' memory from their heartbeats, against their memory limits: not this process's.
            let used = machine.memoryTotal - min(machine.memoryTotal, machine.memoryAvailable)
            lines.append(("workers' memory", "\(ByteCount.text(used)) / \(ByteCount.text(machine.memoryTotal))"))
        } else {
            memoryLines(into: &lines)
        }
        for (row, line) in lines.prefix(inner.height).enumerated() {
            let y = inner.y + row
            if row == barRow {
                meter(fraction, gradient: theme.process, into: &frame, Rect(x: inner.x + 1, y: y, width: inner.width - 2, height: 1))
                continue
            }
            frame.text(line.label, x: inner.x + 1, y: y, style: view.style(theme.ink.label))
            // Values line up after the short labels; a longer label pushes its value along.
            let valueX = inner.x + 1 + max(7, line.label.count + 2)
            frame.text(line.value, x: valueX, y: y, style: view.style(theme.ink.text), maxWidth: inner.x + inner.width - valueX)
        }
    }

    /// This process's memory: RSS, bytes held in blocks now and at peak, the system's memory in use.
    private func memoryLines(into lines: inout [(label: String, value: String)]) {
        lines.append(("RSS", model.machine.map { ByteCount.text($0.residentBytes) } ?? "--"))
        lines.append(("held", "\(ByteCount.text(model.bytesHeld))  peak \(ByteCount.text(model.peakBytesHeld))"))
        if let machine = model.machine, machine.memoryTotal > 0 {
            let used = machine.memoryTotal - min(machine.memoryTotal, machine.memoryAvailable)
            lines.append(("system memory", "\(ByteCount.text(used)) / \(ByteCount.text(machine.memoryTotal))"))
        }
    }

    /// A horizontal meter filled to `fraction`, each cell in the gradient's colour at its position.
    private func meter(_ fraction: Double, gradient: Gradient, into frame: inout Frame, _ rect: Rect) {
        let filled = Int((max(0, min(1, fraction)) * Double(rect.width)).rounded(.down))
        for offset in 0..<rect.width {
            let inside = offset < filled
            let color = inside ? gradient.at(Double(offset) / Double(max(1, rect.width - 1)) * 100) : view.theme.meterBackground
            frame.put(inside ? view.glyphs.full : (view.glyphs == .ascii ? "." : "─"), x: rect.x + offset, y: rect.y,
                      style: view.style(color))
        }
    }
}

extension ProgressWidget: Panel {
    var slot: PanelSlot { .progress }
}
