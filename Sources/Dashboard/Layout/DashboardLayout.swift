/// Where each part of the dashboard goes on a screen of a given size.
///
/// Top to bottom: two header rows; a band with the process CPU box and the core bars (or a cluster's workers);
/// the block grid with the progress and memory box beside it; the worker lanes; the footer.
/// The core band grows with the number of cores (up to a third of the body; with few cores, to
/// give each a row of load history when that takes at most a quarter of the body), the lanes
/// with the number of workers (up to a quarter); the grid takes the rest. When there are recent
/// runs and the progress box has room to spare below it, the runs panel takes that room. A sweep's
/// or a scaling series' chart goes under the grid with a row for every setting: it takes rows from
/// the grid first (hiding it when fewer than three would be left), then from the lanes and the core
/// band down to their smallest, so that at 80×24 it holds up to eight settings. Under the progress box,
/// when it has room, the panels placed there go by priority: the operations panel takes the bottom
/// first (a row per operation), then the recent runs take what is left between.
public struct DashboardLayout: Sendable, Equatable {
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    public var header, processCPU, cores, grid, progress, workers, footer: Rect
    /// The whole screen.
    public var screen: Rect
    /// The recent runs panel, under the progress box; nil when there are none or no room.
    public var runs: Rect?
    /// The operations panel, under the progress box; nil when the run has one operation or no room.
    public var operations: Rect?
    /// The sweep or scaling chart, under the block grid; nil without a plan.
    public var tuning: Rect?
    /// Whether the grid has room to be drawn (the chart may have taken it all).
    public var showsGrid: Bool { grid.height >= Self.gridMinimumHeight }

    /// Rows the progress box needs for all its lines.
    static let progressHeight = 11
    /// The grid needs its box and a row of cells.
    static let gridMinimumHeight = 3
    /// The smallest core band and lanes (inside their boxes).
    static let bandMinimumRows = 5, lanesMinimumRows = 1

    /// The layout for `width`×`height` of panels whose claims are `demands`, by the place each
    /// takes; nil when the screen is below the minimum size. The band, the lanes and the chart
    /// take the rows they want within the rules above; the panels under the progress box are
    /// stacked from the bottom, lowest priority first, each while its minimum fits; the footer
    /// takes the rows it wants over the lanes' last ones.
    package init?(width: Int, height: Int, demands: [PanelSlot: PanelDemand]) {
        guard width >= Self.minimumWidth, height >= Self.minimumHeight else { return nil }
        screen = Rect(x: 0, y: 0, width: width, height: height)
        header = Rect(x: 0, y: 0, width: width, height: 2)
        let footerRows = max(1, demands[.footer]?.wantedHeight(width, 0) ?? 1)
        footer = Rect(x: 0, y: height - footerRows, width: width, height: footerRows)
        let bodyTop = 2, bodyHeight = height - 3
        let cpuWidth = width >= 120 ? 34 : 30
        let coresInner = width - cpuWidth - 2
        func insideRows(_ slot: PanelSlot, width: Int) -> Int { (demands[slot]?.wantedHeight(width + 2, bodyHeight) ?? 2) - 2 }
        var bandInner = max(Self.bandMinimumRows, min(insideRows(.band, width: coresInner), bodyHeight / 3))
        var laneInner = max(Self.lanesMinimumRows, min(insideRows(.lanes, width: width - 2), bodyHeight / 4))
        let chartWanted = demands[.tuning]?.wantedHeight(width, bodyHeight) ?? 0
        var short = chartWanted - (bodyHeight - (bandInner + 2) - (laneInner + 2))
        if short > 0 {
            let fromLanes = min(short, laneInner - Self.lanesMinimumRows)
            laneInner -= fromLanes
            short -= fromLanes
            bandInner -= min(short, bandInner - Self.bandMinimumRows)
        }
        processCPU = Rect(x: 0, y: bodyTop, width: cpuWidth, height: bandInner + 2)
        cores = Rect(x: cpuWidth, y: bodyTop, width: width - cpuWidth, height: bandInner + 2)
        workers = Rect(x: 0, y: height - 1 - (laneInner + 2), width: width, height: laneInner + 2)
        let middleTop = bodyTop + bandInner + 2
        let middleHeight = workers.y - middleTop
        let progressWidth = width >= 120 ? 40 : 34
        grid = Rect(x: 0, y: middleTop, width: width - progressWidth, height: middleHeight)
        progress = Rect(x: width - progressWidth, y: middleTop, width: progressWidth, height: middleHeight)
        if chartWanted > 0 {
            let left = max(0, middleHeight - chartWanted)
            grid.height = left >= Self.gridMinimumHeight ? left : 0
            tuning = Rect(x: 0, y: middleTop + grid.height, width: grid.width, height: middleHeight - grid.height)
        }
        var spare = middleHeight - Self.progressHeight
        var below = middleTop + middleHeight
        let stacked = demands.filter { Self.underProgress.contains($0.key) }.sorted { $0.value.priority < $1.value.priority }
        for (slot, demand) in stacked where spare >= demand.minimumHeight {
            let height = min(spare, demand.wantedHeight(progressWidth, bodyHeight))
            below -= height
            spare -= height
            let rect = Rect(x: progress.x, y: below, width: progressWidth, height: height)
            if slot == .operations { operations = rect } else { runs = rect }
        }
        progress.height = below - middleTop
    }

    /// The layout of a run with `coreCount` cores and `workerCount` workers, `recentRuns` runs
    /// listed, a plan of `tuningSettings` settings and `operationCount` operations.
    public init?(width: Int, height: Int, cores coreCount: Int, workers workerCount: Int, recentRuns: Int = 0,
                 tuningSettings: Int = 0, operations operationCount: Int = 0) {
        var demands: [PanelSlot: PanelDemand] = [.band: CoreBarsWidget.demand(cores: coreCount),
                                                 .lanes: WorkerLanesWidget.demand(workers: workerCount)]
        if tuningSettings > 0 { demands[.tuning] = TuningChartWidget.demand(settings: tuningSettings) }
        if operationCount > 1 { demands[.operations] = OperationsWidget.demand(operations: operationCount) }
        if recentRuns > 0 { demands[.recentRuns] = RecentRunsWidget.demand(runs: recentRuns) }
        self.init(width: width, height: height, demands: demands)
    }

    /// The places stacked under the progress box.
    private static let underProgress: Set<PanelSlot> = [.operations, .recentRuns]

    /// Where the panel of `slot` goes; nil when it has no room (the grid under a chart that took
    /// its rows, a panel left out).
    package func rect(for slot: PanelSlot) -> Rect? {
        switch slot {
        case .header: header
        case .processCPU: processCPU
        case .band: cores
        case .grid: showsGrid ? grid : nil
        case .progress: progress
        case .operations: operations
        case .recentRuns: runs
        case .tuning: tuning
        case .lanes: workers
        case .footer: footer
        case .screen: screen
        }
    }
}
