import ClusterSources
import Dashboard
import DashboardModel
import Foundation
import Testing

/// A worker killed mid-run, as a real cluster told it (Fixtures/worker-killed.jsonl: two
/// single-thread workers on a 2-core host, `random_sample` 3×3 blocks each gated on an event,
/// w0 killed with SIGKILL while it held two of the blocks): the worker leaves, the two blocks it
/// held are computed again and counted, and the cluster's efficiency counts only the threads there.
@Suite struct WorkerLossTests {
    static let session = "worker-killed.jsonl"
    /// The blocks w0 held when it was killed: (1, 2) and (2, 1) of the 3×3 grid.
    static let lostBlocks = [5, 7]

    /// A source on the session's first `lines` lines, a poll per line, and its model.
    func watched(lines: Int? = nil) throws -> (ClusterSource, DashboardModel) {
        let recorded = try Fixture.lines(Self.session)
        let shown = Array(recorded.prefix(lines ?? recorded.count))
        let source = ClusterSource(feed: RecordedFeed(lines: shown), title: "cluster")
        var model = DashboardModel(run: source.run, capabilities: source.capabilities)
        for _ in shown { model.apply(source.poll()) }
        return (source, model)
    }

    func randomSampleStage(_ model: DashboardModel) throws -> BlockStates.Counts {
        let stage = try #require(model.run.stages.firstIndex { $0.stage == "random_sample" })
        return model.blocks.stages[stage]
    }

    @Test func theLostBlocksGoBackToReadyThenDoneAndAreCountedOnce() throws {
        // Through line 15: the lost blocks reached memory on w0, then were scheduled on w1.
        let (during, duringModel) = try watched(lines: 16)
        #expect(during.state.recomputed == 2)
        let lost = during.state.tasks.filter { $0.prefix == "random_sample" && !$0.done }
        #expect(Set(lost.map(\.index)) == [[1, 2], [2, 1]] && lost.allSatisfy { $0.phase == .processing })
        let blocks = try randomSampleStage(duringModel)
        #expect(Self.lostBlocks.map { blocks.ready[$0] } == [1, 1] && Self.lostBlocks.map { blocks.done[$0] } == [0, 0])
        #expect(blocks.done.reduce(0, +) == 7)
        #expect(duringModel.tasksRecomputed == 2)

        let (after, model) = try watched()
        #expect(after.state.recomputed == 2 && model.tasksRecomputed == 2)
        #expect(try randomSampleStage(model).done == Array(repeating: 1, count: 9))
        // Every task of the computation done, each once.
        #expect(model.tasksDone == after.state.tasks.count && after.state.tasks.allSatisfy(\.done))
    }

    @Test func theKilledWorkerIsGoneAndTheSummarySaysWhatWasRecomputed() throws {
        let (source, _) = try watched()
        let summary = ClusterSummary(source.state, events: .plugin, scheduler: "tcp://127.0.0.1:1", notice: nil, seconds: 5)
        #expect(summary.recomputed == 2 && summary.workersPresent == 1 && summary.threads == 1)
        #expect(summary.workers.map { "\($0.name) \($0.present)" }.sorted() == ["w0 false", "w1 true"])
        #expect(summary.tasks.done == summary.tasks.total)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(summary.json.utf8)) as? [String: Any])
        #expect(json["recomputed"] as? Int == 2)
    }

    @Test func theHeaderSaysHowManyTasksWereRecomputedAndTheWorkerShowsGone() throws {
        let (_, model) = try watched()
        let text = DashboardView(model: model, state: ViewState(theme: .standard, glyphs: .unicode)).render(width: 120, height: 40).lines
            .joined(separator: "\n")
        #expect(text.contains("tasks 33, recomputed 2"), "\(text)")
        #expect(text.contains("  w0 gone"), "\(text)")
        #expect(text.contains("127.0.0.1  1 worker · 1 threads · 2 cores"), "\(text)")
    }

    /// Workers lines of two single-thread workers: both busy for a second, then one leaves and
    /// the other is busy one more second and half busy two more.
    static let efficiencyLines = [
        #"{"v":1,"type":"hello","bridge":"1.0","mode":"attach","scheduler":"tcp://h:1","events":"plugin","time":1000.0}"#,
        workers(time: 1000, [("a", 100), ("b", 100)]),
        workers(time: 1001, [("a", 100), ("b", 100)]),
        #"{"v":1,"type":"worker-removed","address":"tcp://h:b","time":1001.5}"#,
        workers(time: 1002, [("a", 100)]),
        workers(time: 1004, [("a", 50)]),
    ]

    static func workers(time: Double, _ workers: [(name: String, cpu: Double)]) -> String {
        let entries = workers.map { #"{"address":"tcp://h:\#($0.name)","name":"\#($0.name)","host":"h","nthreads":1,"cpu":\#($0.cpu)}"# }
        return #"{"v":1,"type":"workers","time":\#(time),"workers":[\#(entries.joined(separator: ","))]}"#
    }

    @Test func efficiencyCountsTheThreadsThereAtEachMomentNotTheMostLanes() throws {
        var state = ClusterState()
        var events: [ActivityEvent] = []
        var seen: [Double?] = []
        for line in Self.efficiencyLines {
            state.apply(try #require(try BridgeMessage.parse(Array(line.utf8))), now: 7_000_000_000_000, into: &events)
            seen.append(state.efficiency)
        }
        // 2 + 1 + 1 CPU-seconds over 2 + 1 + 2 thread-seconds; 2 lanes over 4 s would give 0.5.
        #expect(seen.prefix(2).allSatisfy { $0 == nil })
        #expect(abs(try #require(state.efficiency) - 0.8) < 1e-9)
        #expect(state.laneCount == 2 && state.threads == 1)
        #expect(state.machineReading.efficiency == state.efficiency)
        let summary = ClusterSummary(state, events: .plugin, scheduler: nil, notice: nil, seconds: 4)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(summary.json.utf8)) as? [String: Any])
        #expect(json["efficiency"] as? Double == state.efficiency)
    }

    @Test func theDashboardShowsTheEfficiencyOverTheThreadsThere() throws {
        let source = ClusterSource(feed: RecordedFeed(lines: Self.efficiencyLines), title: "cluster")
        var model = DashboardModel(run: source.run, capabilities: source.capabilities)
        for _ in Self.efficiencyLines { model.apply(source.poll()) }
        let text = DashboardView(model: model, state: ViewState(theme: .standard, glyphs: .unicode)).render(width: 120, height: 40).lines
            .joined(separator: "\n")
        // Not 50% of the 2 lanes the workers ever had.
        #expect(text.contains("efficiency 80% of 1 thread "), "\(text)")
    }
}
