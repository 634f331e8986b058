import BlocktopSupport
import Dashboard
import DashboardModel
import RunVocabulary
import Testing
import Themes

/// A source that can be cancelled but neither paused nor replaced by new runs, with a reason of
/// its own for each key it cannot do; it counts what the dashboard asks of it.
final class WatchOnlySource: DashboardSource, RunLauncher {
    let run = Fixtures.run(rows: 4, columns: 4)
    var pauses = 0, cancels = 0, prepares = 0
    private var time: UInt64 = 0

    var capabilities: SourceCapabilities { [.cancel, .coreBars] }

    func refusal(of capability: SourceCapabilities) -> String {
        capability.contains(.pause) ? "not ours to pause" : "no new runs here"
    }

    func poll() -> SourceUpdate {
        time += 1_000_000_000
        return SourceUpdate(time: time, events: [], state: .running, activeSeconds: Double(time) / 1e9, bytesHeld: 0, peakBytesHeld: 0,
                            machine: Fixtures.machine(cores: 2, workers: 2))
    }

    func pause() { pauses += 1 }
    func resume() {}
    func cancel() { cancels += 1 }

    /// The source itself the first time; a later prepare is counted (the dashboard should not ask).
    func prepare(_ settings: RunSettings) throws -> PreparedRun {
        prepares += 1
        return PreparedRun { self }
    }
}

/// The footer, the help and the keys follow what the run's source can do; the band shows a
/// cluster's workers or the cores as the source declares.
@Suite struct CapabilityTests {
    func session(_ source: WatchOnlySource) throws -> DashboardSession {
        let session = try DashboardSession(launcher: source, settings: RunSettings(blockSize: nil, workers: 2), view: ViewState(),
                                           catalog: ThemeCatalog(folders: []))
        session.refresh()
        return session
    }

    @Test func theFooterOffersOnlyTheKeysTheSourceCanDo() throws {
        let session = try session(WatchOnlySource())
        let footer = session.frame(width: 120, height: 40).line(39)
        #expect(footer.hasPrefix(" q quit  c cancel  t theme  h help  "), "\(footer)")
        for absent in ["pause", "rerun", "block size", "workers", "expression"] { #expect(!footer.contains(absent), "\(footer)") }
        #expect(FooterWidget.keysShown(width: 200, capabilities: []).map(\.key) == ["q", "t", "h"])
        let local = FooterWidget.keysShown(width: 200, capabilities: .localRun).map(\.key)
        #expect(["space", "c", "r", "[ ]", "+ -", ":"].allSatisfy(local.contains), "\(local)")
    }

    @Test func aKeyTheSourceCannotDoSaysWhyAndDoesNothing() throws {
        let source = WatchOnlySource()
        let session = try session(source)
        #expect(session.handle(" ") == .handled(message: "not ours to pause"))
        #expect(source.pauses == 0)
        for key: Unicode.Scalar in ["r", "[", "]", "+", "-", ":"] {
            #expect(session.handle(key) == .handled(message: "no new runs here"))
        }
        #expect(source.prepares == 1 && session.view.prompt == nil && session.view.nextWorkers == nil)
        // What it can do, it does.
        #expect(session.handle("c") == .handled(message: nil))
        #expect(source.cancels == 1)
    }

    /// Key dispatch: a command the source can do, the source's reason for one it cannot, a line
    /// for a key that is no command, and silence for the keys kept for moving about.
    @Test func keysDispatchByWhatTheSourceCanDo() {
        let watched = WatchOnlySource(), local = FakeSource(title: "x", blockSize: 10, workers: 2)
        #expect(KeyDispatch(.character("r"), source: local, glyphs: .unicode) == .command(.rerun))
        #expect(KeyDispatch(.character("r"), source: watched, glyphs: .unicode) == .refused(message: "no new runs here"))
        #expect(KeyDispatch(.character(" "), source: watched, glyphs: .unicode) == .refused(message: "not ours to pause"))
        #expect(KeyDispatch(.character("c"), source: watched, glyphs: .unicode) == .command(.cancel))
        #expect(KeyDispatch(.character("z"), source: watched, glyphs: .ascii) == .refused(message: "unknown key 'z' | h or F1 for help"))
        #expect(KeyDispatch(.home, source: watched, glyphs: .unicode) == .refused(message: nil))
    }

    @Test func theHelpListsOnlyTheKeysTheSourceCanDo() throws {
        let session = try session(WatchOnlySource())
        _ = session.handle("h")
        let text = session.frame(width: 80, height: 24).lines.joined(separator: "\n")
        #expect(text.contains("c         cancel the run") && text.contains("t         next theme"), "\(text)")
        for absent in ["pause / resume", "run it again", "halve / double", "one worker more", "type an expression"] {
            #expect(!text.contains(absent), "\(text)")
        }
    }

    /// The same readings show a cluster's workers by host with `.clusterWorkers`, the cores with `.coreBars`.
    @Test func theBandShowsWhatTheSourceDeclares() {
        let run = Fixtures.run(rows: 2, columns: 2)
        var reading = Fixtures.machine(cores: 2, workers: 2)
        reading.clusterWorkers = [ClusterWorkerReading(name: "10.0.0.7:40001", host: "10.0.0.7", threads: 2, cpu: 150,
                                                       memoryBytes: 1 << 28, executing: 1, present: true)]
        let update = SourceUpdate(time: 1, events: [], state: .running, activeSeconds: 1, bytesHeld: 0, peakBytesHeld: 0, machine: reading)
        func band(_ capabilities: SourceCapabilities) -> String {
            var model = DashboardModel(run: run, capabilities: capabilities)
            model.apply(update)
            return Fixtures.render(model, width: 120, height: 40).lines[2]
        }
        #expect(band(.clusterWorkers).contains("workers (1 on 1 host)"), "\(band(.clusterWorkers))")
        #expect(!band(.clusterWorkers).contains("cores ("))
        #expect(band(.localRun).contains("cores (2)") && !band(.localRun).contains("workers ("), "\(band(.localRun))")
    }

    /// Under the progress box, the panel of lower priority gets its rows first; one whose
    /// minimum no longer fits is left out, and a screen without room for either drops both.
    @Test func theLayoutDropsPanelsByPriority() throws {
        let both = try #require(DashboardLayout(width: 120, height: 40, cores: 2, workers: 2, recentRuns: 4, operations: 10))
        let operations = try #require(both.operations)
        #expect(operations.height == 12 && both.runs == nil)
        #expect(operations.y + operations.height == both.workers.y)
        // Given priority, the runs take their rows first and the operations what is left.
        let runsFirst = try #require(DashboardLayout(width: 120, height: 40, demands: [
            .band: PanelDemand { _, _ in 7 }, .lanes: PanelDemand { _, _ in 4 },
            .operations: PanelDemand(priority: 1, minimumHeight: 4) { _, _ in 12 },
            .recentRuns: PanelDemand(priority: 0, minimumHeight: 5) { _, _ in 7 },
        ]))
        let runs = try #require(runsFirst.runs)
        #expect(runs.height == 7 && runs.y + runs.height == runsFirst.workers.y)
        #expect(runsFirst.operations.map { $0.height + $0.y } == runs.y)
        #expect(runsFirst.progress.height == 11)
        // A taller screen holds both.
        let tall = try #require(DashboardLayout(width: 120, height: 60, cores: 2, workers: 2, recentRuns: 4, operations: 10))
        #expect(tall.operations?.height == 12 && tall.runs?.height == 7)
        // At 80×24 the progress box needs every row there is.
        let small = try #require(DashboardLayout(width: 80, height: 24, cores: 2, workers: 2, recentRuns: 4, operations: 10))
        #expect(small.operations == nil && small.runs == nil)
    }
}
