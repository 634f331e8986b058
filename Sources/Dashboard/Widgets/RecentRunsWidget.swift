import BlocktopSupport
import DashboardModel

/// The last finished or cancelled runs, newest first, one line each (block size, workers, time,
/// CPU%, status), so that reruns with `[` and `]` show the block-size trade-off side by side.
struct RecentRunsWidget {
    let model: DashboardModel
    let view: ViewState

    /// The header row; the columns of `row(_:)` line up under it.
    static let header = "block   wk     time   cpu  status"

    /// One run's line: block size, workers, wall time, average process CPU%, status.
    static func row(_ run: RecentRun, times: Unicode.Scalar) -> String {
        let sizes = Set(run.blockShape)
        let block = sizes.count == 1 ? String(sizes.first!) : Format.shape(run.blockShape, times: times)
        let cpu = run.cpuPercent.map { "\(Int($0.rounded()))%" } ?? "--"
        return Format.pad(block, 5) + Format.pad(String(run.workers), 5, right: true) + Format.pad(Format.duration(run.seconds), 9, right: true)
            + Format.pad(cpu, 6, right: true) + "  " + run.state.rawValue
    }

    func draw(into frame: inout Frame, _ rect: Rect) {
        let theme = view.theme
        frame.box(rect, title: "recent runs", color: theme.memoryBox, titleColor: theme.ink.title,
                  background: theme.background, glyphs: view.glyphs)
        let inner = rect.inset(1)
        guard inner.width > 4, inner.height > 1 else { return }
        frame.text(Self.header, x: inner.x + 1, y: inner.y, style: view.style(theme.ink.label), maxWidth: inner.width - 1)
        for (row, run) in view.recentRuns.prefix(inner.height - 1).enumerated() {
            // A run of another expression than the current one is dimmed.
            let color = run.title == model.run.title ? theme.ink.text : theme.ink.inactive
            frame.text(Self.row(run, times: view.glyphs.times), x: inner.x + 1, y: inner.y + 1 + row,
                       style: view.style(color), maxWidth: inner.width - 1)
        }
    }
}

extension RecentRunsWidget: Panel {
    var slot: PanelSlot { .recentRuns }
    var applies: Bool { !view.recentRuns.isEmpty }
    var demand: PanelDemand { Self.demand(runs: view.recentRuns.count) }

    /// A header and a row per run in its box, at least two runs; it goes under the progress box
    /// after the operations.
    static func demand(runs: Int) -> PanelDemand {
        PanelDemand(priority: 2, minimumHeight: 5) { _, _ in runs + 3 }
    }
}
