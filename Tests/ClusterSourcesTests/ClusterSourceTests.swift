import ClusterSources
import DashboardModel
import Testing

/// A feed that hands out recorded protocol lines, a batch per drain.
final class RecordedFeed: ClusterFeed, @unchecked Sendable {
    // Unchecked: tests drain it from one thread only.
    private var batches: [FeedBatch]
    private(set) var stopped = false

    init(_ batches: [FeedBatch]) {
        self.batches = batches
    }

    /// One batch per line of `lines`, each parsed as the bridge process parses it.
    convenience init(lines: [String]) {
        self.init(lines.map { line in
            var batch = FeedBatch()
            do throws(BridgeLineError) {
                if let message = try BridgeMessage.parse(Array(line.utf8)) { batch.messages = [message] }
            } catch {
                batch.skippedLines = 1
                batch.lastSkipReason = error.description
            }
            return batch
        })
    }

    func drain() -> FeedBatch { batches.isEmpty ? FeedBatch() : batches.removeFirst() }
    func stop() { stopped = true }
}

/// The cluster's messages as the dashboard sees them: workers as lanes, tasks as a run that
/// grows, erred tasks in the failure line, the scheduler's end.
@Suite struct ClusterSourceTests {
    func state(after lines: [String]) -> (ClusterState, [ActivityEvent]) {
        var state = ClusterState()
        var events: [ActivityEvent] = []
        for line in lines {
            guard let message = try? BridgeMessage.parse(Array(line.utf8)) else { continue }
            state.apply(message, now: 5_000_000_000_000, into: &events)
        }
        return (state, events)
    }

    @Test func workersGetALanePerThreadAndKeepItWhenTheyLeave() throws {
        let (state, _) = state(after: try Fixture.lines("attach-session.jsonl"))
        #expect(state.workers.map(\.lanes) == [0..<1, 1..<3, 3..<4])
        #expect(state.workers.map(\.present) == [false, true, true])
        #expect(state.threads == 3 && state.cpuPercent == 130)
        let reading = state.machineReading
        #expect(reading.workerCPU == [nil, 60, 60, 10])
        #expect(reading.cores == [nil, CoreLoad(own: 60, others: 0), CoreLoad(own: 10, others: 0)])
    }

    @Test func transitionsBecomeTaskEventsOnTheirWorkersLanesInBlocktopsClock() throws {
        let (state, events) = state(after: try Fixture.lines("attach-session.jsonl"))
        let finished = events.filter { $0.kind == .finished }
        // The two threads of the second worker take its two lanes.
        #expect(finished.map(\.worker) == [0, 1, 2, 3])
        // Scheduler time 1000.5 is 0.5 s after the hello's 1000.0, which arrived at `now`.
        #expect(finished[0].time == 5_000_500_000_000 && finished[0].startTime == 5_000_210_000_000)
        #expect(events.filter { $0.kind == .failed }.map(\.task) == [3])
        #expect(state.erred.map(\.exception) == ["ZeroDivisionError('division by zero')"])
        // A task known only from a transition gets its prefix and block from its key.
        let last = try #require(state.tasks.last)
        #expect(last.key == "('matmul-3f2a', 0, 0)" && last.prefix == "matmul" && last.group == "matmul-3f2a")
        #expect(last.index == [0, 0] && last.phase == .memory && last.done)
        #expect(state.prefixes == ["random_sample", "sum-aggregate", "matmul"])
        #expect(state.ended == "scheduler closed")
    }

    @Test func theRunGrowsWithTasksAndKeepsWhatTheyDid() throws {
        let lines = try Fixture.lines("attach-session.jsonl")
        let source = ClusterSource(feed: RecordedFeed(lines: Array(lines[..<5])), title: "cluster")
        var model = DashboardModel(run: source.run)
        #expect(model.run.taskCount == 0)
        for _ in 0..<5 { model.apply(source.poll()) }
        #expect(model.run.taskCount == 5 && model.run.workerCount == 3)
        #expect(model.run.operations == ["random_sample", "sum-aggregate"])
        #expect(model.run.stages.map(\.stage) == ["random_sample", "sum-aggregate"])
        #expect(model.run.stages[0].extent == [2, 2] && model.run.stages[1].extent == [1])
        #expect(model.tasksDone == 3 && model.operationProgress[0] == OperationProgress(total: 4, done: 3, busySeconds: model.operationProgress[0].busySeconds))
        #expect(model.blocks.stages[0].done == [1, 1, 1, 0])
        #expect(model.state == .running)
    }

    @Test func anErredTaskIsNewsAndTheSchedulersEndFailsTheRun() throws {
        let lines = try Fixture.lines("attach-session.jsonl")
        let feed = RecordedFeed(lines: lines)
        let source = ClusterSource(feed: feed, title: "cluster")
        var model = DashboardModel(run: source.run)
        for _ in 0..<8 { model.apply(source.poll()) }
        #expect(model.state == .running)
        #expect(model.failure == "erred ('random_sample-5b2f', 1, 1): ZeroDivisionError('division by zero')")
        #expect(model.tasksFailed == 1)
        for _ in 8..<lines.count { model.apply(source.poll()) }
        #expect(model.state == .failed && model.failure == "the cluster is gone: scheduler closed")
        #expect(model.run.workerCount == 4 && model.stream.finished.count == 4)
        source.stop()
        #expect(feed.stopped)
    }

    @Test func howTheClusterIsWatchedIsNewsUntilATaskErrs() throws {
        let lines = try Fixture.lines("attach-session.jsonl")
        let source = ClusterSource(feed: RecordedFeed(lines: lines), title: "cluster", notice: "HTTP only")
        #expect(source.poll().failure == "HTTP only")
        for _ in 1..<7 { _ = source.poll() }
        #expect(source.poll().failure?.hasPrefix("erred ('random_sample-5b2f', 1, 1)") == true)
    }

    @Test func malformedLinesAreCountedAndTheRestStillApplies() {
        let source = ClusterSource(feed: RecordedFeed(lines: ["garbage", #"{"v":1,"type":"clock","time":1}"#, #"{"v":9,"type":"x"}"#,
                                                              #"{"v":1,"type":"transitions","events":[{"key":"k-1","state":"memory"}]}"#]),
                                   title: "cluster")
        for _ in 0..<4 { _ = source.poll() }
        #expect(source.state.skippedLines == 2)
        #expect(source.state.lastSkipReason == "protocol version 9, but blocktop speaks version 1")
        #expect(source.state.tasks.map(\.done) == [true])
    }

    @Test func aWorkerSetInPartsMarksTheAbsentOnlyWhenWhole() throws {
        var state = ClusterState()
        var events: [ActivityEvent] = []
        func worker(_ address: String) -> String {
            #"{"address":"\#(address)","nthreads":1,"memory":null,"cpu":null,"memory_limit":null}"#
        }
        for line in [#"{"v":1,"type":"workers","time":1,"workers":[\#(worker("a")),\#(worker("b"))]}"#,
                     #"{"v":1,"type":"workers","time":2,"part":1,"parts":2,"workers":[\#(worker("c"))]}"#] {
            state.apply(try #require(try BridgeMessage.parse(Array(line.utf8))), now: 0, into: &events)
        }
        #expect(state.workers.map(\.present) == [true, true, true])
        let last = #"{"v":1,"type":"workers","time":2,"part":2,"parts":2,"workers":[\#(worker("a"))]}"#
        state.apply(try #require(try BridgeMessage.parse(Array(last.utf8))), now: 0, into: &events)
        #expect(state.workers.map(\.present) == [true, false, true])
    }

    @Test func prefixCountsWithoutEventsMoveStandInTasksForward() {
        var state = ClusterState()
        var events: [ActivityEvent] = []
        state.apply(.progress(time: nil, prefixes: ["sum": ["total": 4, "memory": 1, "processing": 2, "erred": 0]]), now: 1, into: &events)
        state.apply(.progress(time: nil, prefixes: ["sum": ["total": 4, "memory": 3, "processing": 1, "erred": 0]]), now: 2, into: &events)
        #expect(state.tasks.count == 4 && state.tasks.filter(\.done).count == 3)
        #expect(events.filter { $0.kind == .finished }.count == 3)
        let summary = ClusterSummary(state, events: .http, scheduler: nil, notice: nil, seconds: 1)
        #expect(summary.prefixes["sum"]?.done == 3 && summary.prefixes["sum"]?.total == 4)
    }
}
