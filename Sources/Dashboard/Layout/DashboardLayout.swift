/// Where each part of the dashboard goes on a screen of a given size.
///
/// Top to bottom: two header rows; a band with the process CPU box and the core bars;
/// the block grid with the progress and memory box beside it; the worker lanes; the footer.
/// The core band grows with the number of cores (up to a third of the body; with few cores, to
/// give each a row of load history when that takes at most a quarter of the body), the lanes
/// with the number of workers (up to a quarter); the grid takes the rest. When there are recent
/// runs and the progress box has room to spare below it, the runs panel takes that room. A sweep's
/// or a scaling series' chart goes under the grid with a row for every setting: it takes rows from
/// the grid first (hiding it when fewer than three would be left), then from the lanes and the core
/// band down to their smallest, so that at 80×24 it holds up to eight settings. Under the progress box,
/// when it has room, the operations panel takes the bottom first (a row per operation), then the
/// recent runs take what is left between.
public struct DashboardLayout: Sendable, Equatable {
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    public var header, processCPU, cores, grid, progress, workers, footer: Rect
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
    /// The runs panel needs a header and two runs at least.
    static let runsMinimumHeight = 5
    /// The operations panel needs its box and two operations at least.
    static let operationsMinimumHeight = 4
    /// The grid needs its box and a row of cells.
    static let gridMinimumHeight = 3
    /// The smallest core band and lanes (inside their boxes).
    static let bandMinimumRows = 5, lanesMinimumRows = 1

    /// The layout for `width`×`height`; nil when the screen is below the minimum size.
    /// `tuningSettings` is the number of settings a plan compares (a row each in the chart);
    /// `bandRows`, the rows the band wants inside a box of the width given when it shows a
    /// cluster's workers instead of cores.
    public init?(width: Int, height: Int, cores coreCount: Int, workers workerCount: Int, recentRuns: Int = 0,
                 tuningSettings: Int = 0, operations operationCount: Int = 0, bandRows: ((_ width: Int) -> Int)? = nil) {
        guard width >= Self.minimumWidth, height >= Self.minimumHeight else { return nil }
        header = Rect(x: 0, y: 0, width: width, height: 2)
        footer = Rect(x: 0, y: height - 1, width: width, height: 1)
        let bodyTop = 2, bodyHeight = height - 3
        let cpuWidth = width >= 120 ? 34 : 30
        let coresInner = width - cpuWidth - 2
        let coreRows = bandRows?(coresInner) ?? CoreBarsWidget.rowsWanted(cores: coreCount, width: coresInner, bodyHeight: bodyHeight)
        var bandInner = max(Self.bandMinimumRows, min(coreRows, bodyHeight / 3))
        var laneInner = max(Self.lanesMinimumRows, min(workerCount, bodyHeight / 4))
        // The chart's box, header and a row per setting.
        let chartWanted = tuningSettings > 0 ? tuningSettings + 3 : 0
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
        if operationCount > 1, spare >= Self.operationsMinimumHeight {
            let height = min(spare, operationCount + 2)
            below -= height
            spare -= height
            operations = Rect(x: progress.x, y: below, width: progressWidth, height: height)
        }
        if recentRuns > 0, spare >= Self.runsMinimumHeight {
            let height = min(spare, recentRuns + 3)
            below -= height
            runs = Rect(x: progress.x, y: below, width: progressWidth, height: height)
        }
        progress.height = below - middleTop
    }
}
