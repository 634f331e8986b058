import BlocktopSupport
import Dashboard
import Testing

@Suite struct TuningPlanTests {
    static let sweep = TuningPlan(kind: .blockSizes, runs: [250, 500, 1000].map { RunSettings(blockSize: $0, workers: 2) })

    func session(_ plan: TuningPlan = sweep) throws -> (DashboardSession, FakeLauncher) {
        let launcher = FakeLauncher()
        let session = try DashboardSession(launcher: launcher, settings: RunSettings(blockSize: 9, workers: 9),
                                           view: ViewState(), catalog: ThemeCatalog(folders: []), plan: plan)
        session.refresh()
        return (session, launcher)
    }

    @Test func thePlanAdvancesAsRunsEnd() throws {
        let (session, launcher) = try session()
        #expect(launcher.prepared == [RunSettings(blockSize: 250, workers: 2)])
        #expect(session.planStep == 0 && session.view.tuning?.results.isEmpty == true)
        launcher.started[0].state = .done
        session.refresh()
        #expect(launcher.prepared.map(\.blockSize) == [250, 500])
        #expect(session.planStep == 1 && session.settings.blockSize == 500)
        #expect(session.view.tuning?.results.map(\.setting) == [250])
        session.refresh()  // the new run is going: nothing more
        #expect(launcher.started.count == 2)
        launcher.started[1].state = .failed
        session.refresh()
        launcher.started[2].state = .done
        session.refresh()
        session.refresh()
        #expect(launcher.started.count == 3)
        let chart = try #require(session.view.tuning)
        #expect(chart.results.map(\.setting) == [250, 500, 1000])
        #expect(chart.results.map(\.outcome) == [.done, .failed, .done])
        #expect(chart.isComplete && session.planFinished && session.planStep == nil)
        #expect(session.view.recentRuns.count == 3)
    }

    @Test func aKeyStartingARunEndsThePlan() throws {
        let (session, launcher) = try session()
        _ = session.handle("]")
        #expect(session.planStep == nil)
        #expect(session.view.tuning?.plan.runs.isEmpty == true && session.planFinished)
        launcher.started[1].state = .done
        session.refresh()
        #expect(launcher.started.count == 2)
    }
}

@Suite struct TuningChartTests {
    static func sweepChart(done: Int) -> TuningChart {
        var chart = TuningChart(plan: TuningPlanTests.sweep)
        let results = [TuningMeasurement(setting: 250, seconds: 21.43, flops: 2e11, outcome: .done),
                       TuningMeasurement(setting: 500, seconds: 12.0, flops: 2e11, outcome: .done),
                       TuningMeasurement(setting: 1000, seconds: 14.5, flops: 2e11, outcome: .done)]
        chart.results = Array(results.prefix(done))
        return chart
    }

    static func render(_ chart: TuningChart, width: Int, height: Int) -> [String] {
        var state = ViewState()
        state.tuning = chart
        return DashboardView(model: Fixtures.model(), state: state).render(width: width, height: height).lines
    }

    @Test(arguments: [(120, 40), (80, 24)])
    func sweepChartFitsWithoutOverflow(width: Int, height: Int) throws {
        for done in 0...3 {
            let lines = Self.render(Self.sweepChart(done: done), width: width, height: height)
            #expect(lines.count == height)
            #expect(lines.allSatisfy { $0.unicodeScalars.count == width })
            let layout = try #require(DashboardLayout(width: width, height: height, cores: 2, workers: 2, tuningRuns: 3))
            let chart = try #require(layout.tuning)
            #expect(chart.y + chart.height <= layout.workers.y && chart.x + chart.width <= layout.progress.x)
            #expect(layout.grid.height >= 4)
            #expect(lines[chart.y].contains("block size sweep"))
            // The progress box and the lanes are all still there.
            let text = lines.joined(separator: "\n")
            #expect(text.contains("memory 4.0 GB / 24 GB") || height < 30)
            #expect(text.contains("workers"))
        }
    }

    @Test func sweepChartAt120x40() throws {
        let lines = Self.render(Self.sweepChart(done: 2), width: 120, height: 40)
        let layout = try #require(DashboardLayout(width: 120, height: 40, cores: 2, workers: 2, tuningRuns: 3))
        let chart = try #require(layout.tuning)
        func row(_ y: Int) -> String {
            String(String.UnicodeScalarView(Array(lines[y].unicodeScalars)[chart.x..<(chart.x + chart.width)]))
        }
        print((chart.y..<(chart.y + chart.height)).map(row).joined(separator: "\n"))
        #expect(row(chart.y + 1).hasPrefix("│ block   time  GFLOP/s  GFLOP/s"))
        #expect(row(chart.y + 2).hasPrefix("│ 250    21.4s      9.3  ██"))
        #expect(row(chart.y + 3).hasPrefix("│ 500    12.0s     16.7  ████") && row(chart.y + 3).hasSuffix("█ best │"))
        #expect(row(chart.y + 4).hasPrefix("│ 1000   running…   "))
    }

    @Test func scaleChartShowsSpeedupAgainstTheIdeal() {
        var chart = TuningChart(plan: TuningPlan(kind: .workers, runs: [1, 2].map { RunSettings(blockSize: 500, workers: $0) }))
        chart.results = [TuningMeasurement(setting: 1, seconds: 8, flops: 8e9, outcome: .done),
                         TuningMeasurement(setting: 2, seconds: 5, flops: 8e9, outcome: .done)]
        let text = Self.render(chart, width: 120, height: 40).joined(separator: "\n")
        #expect(text.contains("scaling (speedup vs ideal)"))
        #expect(text.contains("workers   time  speedup   eff"))
        #expect(text.contains("1         8.0s    1.00x  100%"))
        #expect(text.contains("2         5.0s    1.60x   80%"))
    }
}
