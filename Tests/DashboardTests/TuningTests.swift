import BlocktopSupport
import Dashboard
import DashboardModel
import RunVocabulary
import Testing
import Themes
import Tuning

@Suite struct TuningPlanTests {
    static func sweep(_ sizes: [Int] = [250, 500, 1000], repeats: Int = 2) -> TuningPlan {
        TuningPlan(kind: .blockSizes, settings: sizes.map { RunSettings(blockSize: $0, workers: 2) }, repeats: repeats)
    }

    func session(_ plan: TuningPlan = sweep()) throws -> (DashboardSession, FakeLauncher) {
        let launcher = FakeLauncher()
        let session = try DashboardSession(launcher: launcher, settings: RunSettings(blockSize: 9, workers: 9),
                                           view: ViewState(), catalog: ThemeCatalog(folders: []), plan: plan)
        session.refresh()
        return (session, launcher)
    }

    /// A warm-up of the first setting, then rounds that alternate the order.
    @Test func aWarmUpThenRoundsInAlternatingOrder() {
        let plan = Self.sweep(repeats: 3)
        #expect(plan.steps.map { plan.setting(of: $0.settings) } == [250, 250, 500, 1000, 1000, 500, 250, 250, 500, 1000])
        #expect(plan.steps.map(\.round) == [0, 1, 1, 1, 2, 2, 2, 3, 3, 3])
        #expect(plan.steps.allSatisfy { plan.settings[$0.index] == $0.settings })
        #expect(Self.sweep(repeats: 1).steps.count == 1 + 3)
        #expect(TuningPlan(kind: .workers, settings: [], repeats: 3).steps.isEmpty)
    }

    @Test func thePlanAdvancesAsRunsEnd() throws {
        let (session, launcher) = try session()
        #expect(launcher.prepared == [RunSettings(blockSize: 250, workers: 2)])
        #expect(session.planStep == 0 && session.view.tuning?.results.isEmpty == true)
        launcher.started[0].state = .done
        session.refresh()
        #expect(launcher.prepared.map(\.blockSize) == [250, 250])
        #expect(session.planStep == 1 && session.settings.blockSize == 250)
        #expect(session.view.tuning?.results.map(\.round) == [0])
        session.refresh()  // the new run is going: nothing more
        #expect(launcher.started.count == 2)
        for (index, outcome) in [RunState.done, .failed, .done, .done, .done, .done].enumerated() {
            launcher.started[index + 1].state = outcome
            session.refresh()
        }
        session.refresh()
        #expect(launcher.started.count == 7)
        let chart = try #require(session.view.tuning)
        #expect(chart.results.map(\.setting) == [250, 250, 500, 1000, 1000, 500, 250])
        #expect(chart.results.map(\.round) == [0, 1, 1, 1, 2, 2, 2])
        #expect(chart.results.map(\.outcome) == [.done, .done, .failed, .done, .done, .done, .done])
        #expect(chart.isComplete && session.planFinished && session.planStep == nil)
        #expect(chart.comparison.statistics(of: 500)?.runs == 1 && chart.comparison.statistics(of: 250)?.runs == 2)
        #expect(session.view.recentRuns.count == 6)
    }

    @Test func aKeyStartingARunEndsThePlan() throws {
        let (session, launcher) = try session()
        _ = session.handle("]")
        #expect(session.planStep == nil)
        #expect(session.view.tuning?.stopped == true && session.planFinished)
        launcher.started[1].state = .done
        session.refresh()
        #expect(launcher.started.count == 2)
        #expect(session.view.tuning?.results.isEmpty == true)
    }
}

@Suite struct TuningChartTests {
    /// A sweep of `sizes` with the plan's first `done` runs ended: 21.4 s at 250, else times rise with the
    /// block size from 12 s at 500 by 1.5 s a size; each round adds 0.2 s.
    static func sweepChart(_ sizes: [Int] = [250, 500, 1000], repeats: Int = 2, done: Int) -> TuningChart {
        var chart = TuningChart(plan: TuningPlanTests.sweep(sizes, repeats: repeats))
        chart.results = chart.plan.steps.prefix(done).map { step in
            let setting = chart.plan.setting(of: step.settings)
            let seconds = (setting == 250 ? 21.4 : 12 + 1.5 * Double(step.index - 1)) + 0.2 * Double(step.round)
            return TuningMeasurement(setting: setting, round: step.round, seconds: seconds, flops: 2e11, outcome: .done)
        }
        return chart
    }

    static func render(_ chart: TuningChart, width: Int, height: Int) -> [String] {
        var state = ViewState()
        state.tuning = chart
        return DashboardView(model: Fixtures.model(), state: state).render(width: width, height: height).lines
    }

    /// The chart's lines, cut out of the screen.
    static func chartLines(_ chart: TuningChart, width: Int, height: Int) throws -> [String] {
        let lines = render(chart, width: width, height: height)
        let layout = try #require(DashboardLayout(width: width, height: height, cores: 2, workers: 2,
                                                  tuningSettings: chart.plan.settings.count))
        let rect = try #require(layout.tuning)
        return (rect.y..<(rect.y + rect.height)).map { y in
            String(String.UnicodeScalarView(Array(lines[y].unicodeScalars)[rect.x..<(rect.x + rect.width)]))
        }
    }

    /// Every setting has its row at every size, down to 80×24, with the rest of the screen in place.
    @Test(arguments: [(80, 24), (100, 30), (120, 40)], [3, 4, 6, 8])
    func everySettingHasARow(size: (width: Int, height: Int), settings: Int) throws {
        let sizes = [250, 500, 1000, 2000, 4000, 8000, 16000, 32000].prefix(settings)
        let chart = Self.sweepChart(Array(sizes), done: 1 + 2 * settings)
        let lines = Self.render(chart, width: size.width, height: size.height)
        #expect(lines.count == size.height && lines.allSatisfy { $0.unicodeScalars.count == size.width })
        let rows = try Self.chartLines(chart, width: size.width, height: size.height)
        for setting in sizes {
            #expect(rows.filter { $0.hasPrefix("│ \(setting) ") }.count == 1, "\(setting) at \(size)")
        }
        let layout = try #require(DashboardLayout(width: size.width, height: size.height, cores: 2, workers: 2,
                                                  tuningSettings: settings))
        let rect = try #require(layout.tuning)
        #expect(rect.y + rect.height <= layout.workers.y && rect.x + rect.width <= layout.progress.x)
        #expect(!layout.showsGrid || layout.grid.y + layout.grid.height == rect.y)
        let text = lines.joined(separator: "\n")
        #expect(text.contains("workers") && text.contains("tasks"))
    }

    /// 80×24 with four settings, in round 2: a snapshot of the whole chart.
    @Test func fourSettingsAt80x24() throws {
        let rows = try Self.chartLines(Self.sweepChart([250, 500, 1000, 2000], done: 7), width: 80, height: 24)
        #expect(rows == [
            "╭─ block size sweep · round 2/2 ─────────────╮",
            "│ block  median      min-max  GFLOP/s        │",
            "│ 250     21.6s                   9.3        │",
            "│ 500     12.2s                  16.4 run…   │",
            "│ 1000    13.8s  13.7s-13.9s     14.5        │",
            "│ 2000    15.3s  15.2s-15.4s     13.1        │",
            "╰─ fastest: block size 500 (single runs) ────╯",
        ])
    }

    /// 80×24 with six settings, done: every row with its median and range, the verdict at the bottom.
    @Test func sixSettingsAt80x24() throws {
        let sizes = [250, 500, 1000, 2000, 4000, 8000]
        let rows = try Self.chartLines(Self.sweepChart(sizes, done: 13), width: 80, height: 24)
        #expect(rows == [
            "╭─ block size sweep · 2 rounds ──────────────╮",
            "│ block  median      min-max  GFLOP/s        │",
            "│ 250     21.7s  21.6s-21.8s      9.2        │",
            "│ 500     12.3s  12.2s-12.4s     16.3 best   │",
            "│ 1000    13.8s  13.7s-13.9s     14.5        │",
            "│ 2000    15.3s  15.2s-15.4s     13.1        │",
            "│ 4000    16.8s  16.7s-16.9s     11.9        │",
            "│ 8000    18.3s  18.2s-18.4s     10.9        │",
            "│                                            │",
            "╰─ best: block size 500 ─────────────────────╯",
        ])
    }

    /// No column title appears twice in the header, sweep or scale, narrow or wide.
    @Test(arguments: [TuningKind.blockSizes, .workers], [80, 120])
    func theHeaderNamesEachColumnOnce(kind: TuningKind, width: Int) throws {
        let plan = TuningPlan(kind: kind, settings: [1, 2].map { RunSettings(blockSize: 500, workers: $0) }, repeats: 2)
        var chart = TuningChart(plan: plan)
        chart.results = [TuningMeasurement(setting: 1, round: 0, seconds: 8, flops: 8e9, outcome: .done),
                         TuningMeasurement(setting: 1, round: 1, seconds: 8, flops: 8e9, outcome: .done)]
        let header = try Self.chartLines(chart, width: width, height: 24)[1]
        let words = header.split { $0 == " " || $0 == "│" || $0 == "," }
        #expect(Set(words).count == words.count, "\(header)")
    }

    @Test func sweepChartAt120x40() throws {
        let rows = try Self.chartLines(Self.sweepChart(done: 7), width: 120, height: 40)
        print(rows.joined(separator: "\n"))
        #expect(rows[0].hasPrefix("╭─ block size sweep · 2 rounds ─"))
        #expect(rows[1].hasPrefix("│ block  median      min-max  GFLOP/s   ") && rows[1].hasSuffix("   │"))
        #expect(rows[2].hasPrefix("│ 250     21.7s  21.6s-21.8s      9.2  ██"))
        #expect(rows[3].hasPrefix("│ 500     12.3s  12.2s-12.4s     16.3  ████") && rows[3].hasSuffix("█ best │"))
        #expect(rows[4].hasPrefix("│ 1000    13.8s  13.7s-13.9s     14.5  ███") && rows[4].hasSuffix("      │"))
        #expect(rows.last?.hasPrefix("╰─ best: block size 500 ─") == true)
        // Bars are as long as the GFLOP/s of the medians.
        let bars = rows[2...4].map { $0.unicodeScalars.filter { $0 == "█" }.count }
        #expect(bars[1] > bars[2] && bars[2] > bars[0])
    }

    @Test func theWarmUpIsLabelled() throws {
        let rows = try Self.chartLines(Self.sweepChart(done: 0), width: 120, height: 40)
        #expect(rows[0].hasPrefix("╭─ block size sweep · warm-up ─"))
        #expect(rows[2].hasPrefix("│ 250   warm-up… "))
        #expect(rows[3].hasPrefix("│ 500   waiting "))
        // The warm-up's time counts for nothing: after it the first setting still has no figures.
        let after = try Self.chartLines(Self.sweepChart(done: 1), width: 120, height: 40)
        #expect(after[0].hasPrefix("╭─ block size sweep · round 1/2 ─"))
        #expect(after[2].hasPrefix("│ 250   running… "))
        #expect(after.last?.hasPrefix("╰──") == true)
    }

    /// Overlapping ranges: both rows marked as tying, no best.
    @Test func overlappingRangesShowATie() throws {
        var chart = TuningChart(plan: TuningPlanTests.sweep([500, 1000], repeats: 2))
        chart.results = zip(chart.plan.steps, [5.0, 3.0, 3.3, 3.2, 3.25]).map { step, seconds in
            TuningMeasurement(setting: step.settings.blockSize!, round: step.round, seconds: seconds, flops: 2e11, outcome: .done)
        }
        let rows = try Self.chartLines(chart, width: 120, height: 40)
        #expect(rows[2].hasSuffix(" tie  │") && rows[3].hasSuffix(" tie  │"))
        #expect(!rows.joined().contains("best"))
        #expect(rows.last?.hasPrefix("╰─ block sizes 500 and 1000 tie ─") == true)
    }

    @Test func scaleChartShowsSpeedupAgainstTheIdeal() throws {
        var chart = TuningChart(plan: TuningPlan(kind: .workers, settings: [1, 2].map { RunSettings(blockSize: 500, workers: $0) },
                                                 repeats: 2))
        chart.results = zip(chart.plan.steps, [9.0, 8, 5, 5.2, 8.2]).map { step, seconds in
            TuningMeasurement(setting: step.settings.workers, round: step.round, seconds: seconds, flops: 8e9, outcome: .done)
        }
        let rows = try Self.chartLines(chart, width: 120, height: 40)
        #expect(rows[0].hasPrefix("╭─ scaling (speedup vs ideal) · 2 rounds ─"))
        #expect(rows[1].hasPrefix("│ workers median      min-max speedup  eff  | ideal "))
        #expect(rows[2].hasPrefix("│ 1        8.10s  8.00s-8.20s   1.00x 100%  ██"))
        #expect(rows[3].hasPrefix("│ 2        5.10s  5.00s-5.20s   1.59x  79%  ██"))
        #expect(rows[3].hasSuffix(" best │"))
        #expect(rows.last?.hasPrefix("╰─ best: 2 workers ─") == true)
    }
}
