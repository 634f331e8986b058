import BlocktopSupport
import DashboardModel

/// Draws the whole dashboard for a model into a frame of a given size.
public struct DashboardView: Sendable {
    public var model: DashboardModel
    public var state: ViewState

    public init(model: DashboardModel, state: ViewState) {
        self.model = model
        self.state = state
    }

    /// The layout of a `width`×`height` screen; nil when it is too small.
    private func layout(width: Int, height: Int) -> DashboardLayout? {
        DashboardLayout(width: width, height: height, cores: model.machine?.cores.count ?? 0, workers: model.run.workerCount,
                        recentRuns: state.recentRuns.count, tuningSettings: state.tuning?.plan.settings.count ?? 0,
                        operations: model.run.operations.count,
                        bandRows: model.machine?.clusterWorkers.map { workers in { ClusterWorkersWidget.rowsWanted(workers, width: $0) } })
    }

    /// The grid's block drawn at the screen cell (`x`, `y`) of a `width`×`height` screen; nil
    /// where none is drawn: outside the grid, on a gap or a line between its cells, under the
    /// block detail or the help.
    public func block(atX x: Int, y: Int, width: Int, height: Int) -> Int? {
        guard !state.showHelp, let layout = layout(width: width, height: height), layout.showsGrid else { return nil }
        if let detail = BlockDetailWidget(model: model, view: state).rect(in: layout.grid), detail.contains(x: x, y: y) { return nil }
        return BlockGridWidget(model: model, view: state).block(atX: x, y: y, in: layout.grid)
    }

    /// The frame for a `width`×`height` screen.
    public func render(width: Int, height: Int) -> Frame {
        var frame = Frame(width: width, height: height, style: Style(foreground: state.theme.text, background: state.theme.background))
        guard let layout = layout(width: width, height: height) else {
            TooSmallScreen(view: state).draw(into: &frame)
            return frame
        }
        HeaderWidget(model: model, view: state).draw(into: &frame, layout.header)
        ProcessCPUWidget(model: model, view: state).draw(into: &frame, layout.processCPU)
        if model.machine?.clusterWorkers != nil {
            ClusterWorkersWidget(model: model, view: state).draw(into: &frame, layout.cores)
        } else {
            CoreBarsWidget(model: model, view: state).draw(into: &frame, layout.cores)
        }
        if layout.showsGrid { BlockGridWidget(model: model, view: state).draw(into: &frame, layout.grid) }
        if layout.showsGrid, state.cursor != nil { BlockDetailWidget(model: model, view: state).draw(into: &frame, layout.grid) }
        ProgressWidget(model: model, view: state).draw(into: &frame, layout.progress)
        if let runs = layout.runs { RecentRunsWidget(model: model, view: state).draw(into: &frame, runs) }
        if let operations = layout.operations { OperationsWidget(model: model, view: state).draw(into: &frame, operations) }
        if let tuning = layout.tuning, let chart = state.tuning {
            TuningChartWidget(chart: chart, view: state).draw(into: &frame, tuning)
        }
        WorkerLanesWidget(model: model, view: state).draw(into: &frame, layout.workers)
        // An expression that did not build takes the rows above the footer too, for its error and caret.
        let footerRows = FooterWidget.height(state)
        FooterWidget(view: state).draw(into: &frame, Rect(x: layout.footer.x, y: layout.footer.y + 1 - footerRows,
                                                         width: layout.footer.width, height: footerRows))
        if state.showHelp { HelpOverlay(view: state).draw(into: &frame, frame.bounds) }
        return frame
    }
}
