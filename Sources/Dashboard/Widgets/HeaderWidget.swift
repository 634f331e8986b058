import BlocktopSupport
import DashboardModel
import RunVocabulary
import Themes

/// The two header rows: what runs, a warning when other processes take a share of its CPUs,
/// its state and time; then shapes, blocks, tasks and workers.
struct HeaderWidget {
    let model: DashboardModel
    let view: ViewState

    func draw(into frame: inout Frame, _ rect: Rect) {
        let theme = view.theme, glyphs = view.glyphs
        let run = model.run
        let bar = Style(foreground: theme.barInk.title, background: theme.meterBackground, bold: true)
        frame.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), style: bar)
        let state = model.state.rawValue.uppercased()
        let right = "\(state)  \(Format.duration(model.elapsedSeconds)) "
        let warning = othersWarning.map { $0 + "  " } ?? ""
        let rightWidth = warning.unicodeScalars.count + right.unicodeScalars.count
        var x = frame.text(" blocktop ", x: rect.x, y: rect.y, style: bar)
        let titleWidth = rect.width - (x - rect.x) - rightWidth - 2
        x = frame.text(Format.clip(run.title, titleWidth), x: x + 1, y: rect.y,
                       style: Style(foreground: theme.barInk.text, background: theme.meterBackground))
        let warningStyle = Style(foreground: theme.barInk.load.at(75), background: theme.meterBackground, bold: true)
        x = frame.text(warning, x: rect.x + rect.width - rightWidth, y: rect.y, style: warningStyle)
        let stateStyle = Style(foreground: stateColor, background: theme.meterBackground, bold: true)
        frame.text(right, x: x, y: rect.y, style: stateStyle)

        let dot = " \(glyphs.separator) "
        var items = [
            "array \(Format.shape(run.arrayShape, times: glyphs.times))",
            "blocks \(run.blocksVary ? "up to " : "")\(Format.shape(run.blockShape, times: glyphs.times)) (\(Format.count(run.blockCount)))"
                + (run.blockNote.map { " " + $0 } ?? ""),
            "tasks \(Format.count(run.taskCount))" + (model.tasksRecomputed > 0 ? ", recomputed \(Format.count(model.tasksRecomputed))" : ""),
            "workers \(run.workerCount)" + (view.nextWorkers.map { " (next run \($0))" } ?? ""),
        ]
        // A watched cluster computes many arrays, none of which is the run's.
        if run.arrayShape.isEmpty { items.removeFirst(2) }
        if run.isOversubscribed {
            items[items.count - 1] += " on \(Format.fixed(run.capacity, run.capacity.rounded() == run.capacity ? 0 : 1)) CPUs: oversubscribed"
        }
        if model.state == .done, let result = model.result { items.insert("result \(result)", at: 0) }
        // While a run goes, a failure is news from a source that goes on (a cluster's erred task).
        if let failure = model.failure { items.append(model.state == .failed ? "failed: \(failure)" : failure) }
        frame.text(" " + items.joined(separator: dot), x: rect.x, y: rect.y + 1,
                   style: view.style(theme.ink.text), maxWidth: rect.width)
    }

    /// "others use 0.9 of 2 CPUs" while others take `Competition.disturbingShare` of the usable
    /// CPUs or more ("used", over the run, once it ended); nil below that.
    private var othersWarning: String? {
        guard model.othersDisturb, let others = model.othersCPUs else { return nil }
        return Competition.text(othersCPUs: others, capacity: model.run.capacity, ended: model.state.isFinal)
    }

    private var stateColor: RGB {
        switch model.state {
        case .running: view.theme.barInk.done
        case .paused: view.theme.barInk.load.at(50)
        case .done: view.theme.barInk.highlight
        case .failed: view.theme.barInk.failed
        case .cancelled: view.theme.barInk.inactive
        }
    }
}

extension HeaderWidget: Panel {
    var slot: PanelSlot { .header }
}
