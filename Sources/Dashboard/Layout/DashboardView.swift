import BlocktopSupport
import DashboardModel

/// Draws the whole dashboard for a model into a frame of a given size: the panels that apply,
/// where the layout puts them.
public struct DashboardView: Sendable {
    public var model: DashboardModel
    public var state: ViewState

    public init(model: DashboardModel, state: ViewState) {
        self.model = model
        self.state = state
    }

    /// Every panel that shows for this model and view, in drawing order (later ones over earlier ones).
    private var panels: [any Panel] {
        let all: [(any Panel)?] = [
            HeaderWidget(model: model, view: state), ProcessCPUWidget(model: model, view: state),
            CoreBarsWidget(model: model, view: state), ClusterWorkersWidget(model: model, view: state),
            BlockGridWidget(model: model, view: state), BlockDetailWidget(model: model, view: state),
            ProgressWidget(model: model, view: state), RecentRunsWidget(model: model, view: state),
            OperationsWidget(model: model, view: state), state.tuning.map { TuningChartWidget(chart: $0, view: state) },
            WorkerLanesWidget(model: model, view: state), FooterWidget(view: state, capabilities: model.capabilities),
            HelpOverlay(view: state, capabilities: model.capabilities),
        ]
        return all.compactMap { $0 }.filter(\.applies)
    }

    /// The layout of `panels` on a `width`×`height` screen; nil when it is too small.
    private func layout(of panels: [any Panel], width: Int, height: Int) -> DashboardLayout? {
        let demands = Dictionary(panels.map { ($0.slot, $0.demand) }, uniquingKeysWith: { first, _ in first })
        return DashboardLayout(width: width, height: height, demands: demands)
    }

    /// The grid's block drawn at the screen cell (`x`, `y`) of a `width`×`height` screen; nil
    /// where none is drawn: outside the grid, on a gap or a line between its cells, under the
    /// block detail or the help.
    public func block(atX x: Int, y: Int, width: Int, height: Int) -> Int? {
        guard !state.showHelp, let grid = layout(of: panels, width: width, height: height)?.rect(for: .grid) else { return nil }
        if let detail = BlockDetailWidget(model: model, view: state).rect(in: grid), detail.contains(x: x, y: y) { return nil }
        return BlockGridWidget(model: model, view: state).block(atX: x, y: y, in: grid)
    }

    /// The frame for a `width`×`height` screen.
    public func render(width: Int, height: Int) -> Frame {
        var frame = Frame(width: width, height: height, style: Style(foreground: state.theme.text, background: state.theme.background))
        let panels = panels
        guard let layout = layout(of: panels, width: width, height: height) else {
            TooSmallScreen(view: state).draw(into: &frame)
            return frame
        }
        for panel in panels {
            if let rect = layout.rect(for: panel.slot) { panel.draw(into: &frame, rect) }
        }
        return frame
    }
}
