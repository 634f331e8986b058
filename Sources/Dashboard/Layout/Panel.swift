/// The places of the screen the layout gives its panels (see `DashboardLayout`).
package enum PanelSlot: Hashable, Sendable {
    case header, processCPU
    /// Beside the process CPU box: the cores, or a cluster's workers.
    case band
    case grid, progress
    /// Under the progress box, stacked from the bottom by priority.
    case operations, recentRuns
    /// Under the grid: a sweep's or a scaling series' chart.
    case tuning
    case lanes, footer
    /// The whole screen, over every other panel (the help).
    case screen
}

/// A panel's claim on the screen: how many rows it wants in a width (its box included), the
/// fewest it can be drawn in, and its priority where room runs short: the panels of a place get
/// their rows lowest priority first, and one left with fewer rows than its minimum is not shown.
package struct PanelDemand {
    package var priority: Int
    package var minimumHeight: Int
    /// Rows wanted, box included, `width` columns wide in a body (the rows between the header
    /// and the footer) `bodyHeight` rows high.
    package var wantedHeight: (_ width: Int, _ bodyHeight: Int) -> Int

    package init(priority: Int = 0, minimumHeight: Int = 0, wantedHeight: @escaping (_ width: Int, _ bodyHeight: Int) -> Int) {
        self.priority = priority
        self.minimumHeight = minimumHeight
        self.wantedHeight = wantedHeight
    }

    /// The claim of a panel that takes the rows the layout gives its place.
    package static var fitted: PanelDemand { PanelDemand { _, _ in 0 } }
}

/// A part of the dashboard: where it goes, whether it has anything to show for this run and
/// view, how much room it wants, and how it draws itself into the rectangle it is given.
protocol Panel {
    var slot: PanelSlot { get }
    /// Whether it shows for this model and view (the source's capabilities, a plan, a cursor …).
    var applies: Bool { get }
    var demand: PanelDemand { get }
    func draw(into frame: inout Frame, _ rect: Rect)
}

extension Panel {
    var applies: Bool { true }
    var demand: PanelDemand { .fitted }
}
