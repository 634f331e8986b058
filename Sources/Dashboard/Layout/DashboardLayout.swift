/// Where each part of the dashboard goes on a screen of a given size.
///
/// Top to bottom: two header rows; a band with the process CPU box and the core bars;
/// the block grid with the progress and memory box beside it; the worker lanes; the footer.
/// The core band grows with the number of cores (up to a third of the body), the lanes
/// with the number of workers (up to a quarter); the grid takes the rest. When there are recent
/// runs and the progress box has room to spare below it, the runs panel takes that room.
public struct DashboardLayout: Sendable, Equatable {
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    public var header, processCPU, cores, grid, progress, workers, footer: Rect
    /// The recent runs panel, under the progress box; nil when there are none or no room.
    public var runs: Rect?
    /// The sweep or scaling chart, under the block grid; nil without a plan.
    public var tuning: Rect?

    /// Rows the progress box needs for all its lines.
    static let progressHeight = 11
    /// The runs panel needs a header and two runs at least.
    static let runsMinimumHeight = 5

    /// The layout for `width`×`height`; nil when the screen is below the minimum size. With
    /// `tuningRuns` (the runs of a plan), the chart takes up to half the grid's height below it.
    public init?(width: Int, height: Int, cores coreCount: Int, workers workerCount: Int, recentRuns: Int = 0,
                 tuningRuns: Int = 0) {
        guard width >= Self.minimumWidth, height >= Self.minimumHeight else { return nil }
        header = Rect(x: 0, y: 0, width: width, height: 2)
        footer = Rect(x: 0, y: height - 1, width: width, height: 1)
        let bodyTop = 2, bodyHeight = height - 3
        let cpuWidth = width >= 120 ? 34 : 30
        let coresInner = width - cpuWidth - 2
        let bandInner = max(5, min(CoreBarsWidget.rowsWanted(cores: coreCount, width: coresInner), bodyHeight / 3))
        processCPU = Rect(x: 0, y: bodyTop, width: cpuWidth, height: bandInner + 2)
        cores = Rect(x: cpuWidth, y: bodyTop, width: width - cpuWidth, height: bandInner + 2)
        let laneInner = max(1, min(workerCount, bodyHeight / 4))
        workers = Rect(x: 0, y: height - 1 - (laneInner + 2), width: width, height: laneInner + 2)
        let middleTop = bodyTop + bandInner + 2
        let middleHeight = workers.y - middleTop
        let progressWidth = width >= 120 ? 40 : 34
        grid = Rect(x: 0, y: middleTop, width: width - progressWidth, height: middleHeight)
        progress = Rect(x: width - progressWidth, y: middleTop, width: progressWidth, height: middleHeight)
        if tuningRuns > 0 {
            let chartHeight = min(tuningRuns + 4, middleHeight / 2)
            grid.height = middleHeight - chartHeight
            tuning = Rect(x: 0, y: middleTop + grid.height, width: grid.width, height: chartHeight)
        }
        if recentRuns > 0, middleHeight >= Self.progressHeight + Self.runsMinimumHeight {
            let runsHeight = min(middleHeight - Self.progressHeight, recentRuns + 3)
            progress.height = middleHeight - runsHeight
            runs = Rect(x: progress.x, y: middleTop + progress.height, width: progressWidth, height: runsHeight)
        }
    }
}
