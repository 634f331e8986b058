import BlocktopSupport
import Dashboard
import DashboardModel
import Testing
import Themes

/// The core panel at every number of cores: history rows when there are few, more columns of
/// compact bars when there are many, level glyphs when even those do not fit.
@Suite struct CorePanelTests {
    /// A model with a reading every 100 ms, each giving every core's load.
    static func model(readings: [[CoreLoad?]]) -> DashboardModel {
        var model = DashboardModel(run: Fixtures.run(rows: 2, columns: 2))
        for (index, cores) in readings.enumerated() {
            model.apply(SourceUpdate(time: UInt64(index) * 100_000_000, events: [], state: .running, activeSeconds: 0, bytesHeld: 0,
                                     peakBytesHeld: 0, machine: MachineReading(cores: cores, processCPU: 100, residentBytes: 0,
                                                                               workerCPU: [nil, nil], memoryTotal: 0, memoryAvailable: 0)))
        }
        return model
    }

    /// The cores box's inside, as lines.
    static func inside(_ frame: Frame, _ rect: Rect) -> [String] {
        let inner = rect.inset(1)
        return (inner.y..<(inner.y + inner.height)).map { y in
            String(String.UnicodeScalarView((inner.x..<(inner.x + inner.width)).map { frame[$0, y].character }))
        }
    }

    /// Two cores at 80×24: each bar (41 cells) has a row of its load history under it, a reading
    /// a column, newest on the right, and the bottom edge says the span they show.
    @Test func fewCoresShowTheirHistory() throws {
        // Core 0 climbs from idle to full; core 1 is kept 40% busy by others.
        let model = Self.model(readings: [0, 25, 50, 75, 100].map { [CoreLoad(own: $0, others: 0), CoreLoad(own: 0, others: 40)] })
        let frame = Fixtures.render(model, width: 80, height: 24)
        let layout = try #require(DashboardLayout(width: 80, height: 24, cores: 2, workers: 2))
        #expect(layout.cores.height == 7)
        let blank = String(repeating: " ", count: 48)
        #expect(Self.inside(frame, layout.cores) == [
            "0 " + String(repeating: "█", count: 41) + " 100%",
            "  " + String(repeating: " ", count: 36) + " ▂▄▆█" + "     ",
            "1 " + String(repeating: "▒", count: 16) + String(repeating: "─", count: 25) + "  40%",
            "  " + String(repeating: " ", count: 36) + "▃▃▃▃▃" + "     ",
            blank,
        ])
        let bottom = frame.line(layout.cores.y + layout.cores.height - 1)
        #expect(bottom.hasSuffix("─ load history 0.4s ─╯"))
        // Each reading in the colour of its load, the bars in blocktop's and others' colours.
        let theme = Theme.standard
        let history = layout.cores.y + 2
        for (offset, load) in [25.0, 50, 75, 100].enumerated() {
            #expect(frame[layout.cores.x + 1 + 2 + 37 + offset, history].style.foreground == theme.cpu.at(load))
        }
        #expect(frame[layout.cores.x + 3, layout.cores.y + 1].style.foreground == theme.cpuOwn)
        #expect(frame[layout.cores.x + 3, layout.cores.y + 3].style.foreground == theme.cpuOthers)
    }

    /// With four cores the band grows to give each a history row where the screen has room
    /// (a quarter of the body at most), and stays at its smallest at 80×24.
    @Test func theBandGrowsForHistoryOnlyWhereThereIsRoom() throws {
        #expect(DashboardLayout(width: 120, height: 40, cores: 4, workers: 2)?.cores.height == 8 + 2)
        #expect(DashboardLayout(width: 80, height: 24, cores: 4, workers: 2)?.cores.height == 5 + 2)
        #expect(CoreBarsWidget.arrangement(cores: 4, width: 84, height: 8) == .bars(columns: 1, historyRows: 1))
        #expect(CoreBarsWidget.arrangement(cores: 4, width: 48, height: 5) == .bars(columns: 1, historyRows: 0))
    }

    /// 64 cores at 120×40: six columns of compact bars (label and the two shares, no %), every
    /// core in its place, top to bottom then left to right.
    @Test func manyCoresBecomeColumnsOfCompactBars() throws {
        let loads = (0..<64).map { CoreLoad(own: Double($0 % 10) * 10, others: $0 % 2 == 0 ? 0 : 10) }
        let frame = Fixtures.render(Self.model(readings: [loads]), width: 120, height: 40)
        let layout = try #require(DashboardLayout(width: 120, height: 40, cores: 64, workers: 2))
        let inner = layout.cores.inset(1)
        #expect(inner.width == 84 && inner.height == 12)
        #expect(CoreBarsWidget.arrangement(cores: 64, width: 84, height: 12) == .compact(columns: 6))
        #expect(!Self.inside(frame, layout.cores).joined().contains("%"))
        #expect(frame.line(layout.cores.y).contains("cores (64)") && frame.line(layout.cores.y).contains("█ blocktop ▒ others"))
        // Entries 13 wide (84 = 6 × 13 + 5 gaps), 11 cores a column; a bar of 10 cells after "NN ".
        for (id, load) in loads.enumerated() {
            let x = inner.x + (id / 11) * 14, y = inner.y + id % 11
            let label = String(String.UnicodeScalarView((x..<(x + 2)).map { frame[$0, y].character }))
            #expect(label == (id < 10 ? " \(id)" : "\(id)"))
            let bar = (x + 3..<(x + 13)).map { frame[$0, y].character }
            let own = Int((load.own / 10).rounded()), others = Int((load.busy / 10).rounded()) - own
            #expect(bar.filter { $0 == "█" }.count == own, "core \(id)")
            #expect(bar.filter { $0 == "▒" }.count == others, "core \(id)")
        }
    }

    /// 256 cores: compact bars at 200×60 (14 columns of 19), level glyphs at 120×40 and 80×24.
    @Test func twoHundredFiftySixCores() throws {
        let loads = (0..<256).map { CoreLoad(own: $0 == 255 ? 100 : 0, others: 0) }
        let model = Self.model(readings: [loads])
        let layout = try #require(DashboardLayout(width: 200, height: 60, cores: 256, workers: 2))
        let inner = layout.cores.inset(1)
        #expect(CoreBarsWidget.arrangement(cores: 256, width: inner.width, height: inner.height) == .compact(columns: 14))
        let frame = Fixtures.render(model, width: 200, height: 60)
        let text = Self.inside(frame, layout.cores).joined(separator: "\n")
        for id in [0, 18, 19, 100, 254, 255] { #expect(text.contains("\(String(repeating: " ", count: 3 - String(id).count))\(id) "), "\(id)") }
        // The last core, in the last column (13) at row 255 − 13 × 19 = 8: a full bar of 6.
        let x = inner.x + 13 * (10 + 1), y = inner.y + 8
        #expect((x..<(x + 10)).map { frame[$0, y].character } == Array("255 ██████".unicodeScalars))
        for (width, height) in [(120, 40), (80, 24)] {
            let small = try #require(DashboardLayout(width: width, height: height, cores: 256, workers: 2)).cores.inset(1)
            #expect(CoreBarsWidget.arrangement(cores: 256, width: small.width, height: small.height) == .glyphs)
        }
    }
}
