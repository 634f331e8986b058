import BlocktopSupport
import ClusterSources
import DashboardModel
import Testing

/// A feed of recorded lines that notes each cancel it is asked for.
final class CancelCountingFeed: ClusterFeed, @unchecked Sendable {
    // Unchecked: tests use it from one thread only.
    private let recorded: RecordedFeed
    private(set) var cancels = 0

    init(lines: [String]) {
        recorded = RecordedFeed(lines: lines)
    }

    func drain() -> FeedBatch { recorded.drain() }
    func stop() { recorded.stop() }
    func cancel() { cancels += 1 }
}

/// A run launched on a cluster, as its protocol lines tell it: submitted, then done with a
/// result, failed or cancelled; its figures tallied over time.
@Suite struct LaunchTests {
    static let hello = #"{"v":1,"type":"hello","bridge":"1.0","mode":"launch","scheduler":"tcp://127.0.0.1:9","events":"plugin","time":100}"#
    static let submitted = #"{"v":1,"type":"submitted","key":"('sum-aggregate-1f', 0)","tasks":7,"time":100}"#

    static func workers(cpu: [Double], threads: Int = 1, time: Double) -> String {
        let entries = cpu.enumerated().map { index, cpu in
            #"{"address":"tcp://127.0.0.1:\#(4000 + index)","nthreads":\#(threads),"memory":\#(1000 * (index + 1)),"cpu":\#(cpu)}"#
        }
        return #"{"v":1,"type":"workers","time":\#(time),"workers":[\#(entries.joined(separator: ","))]}"#
    }

    func parse(_ line: String) throws -> BridgeMessage? {
        try BridgeMessage.parse(Array(line.utf8))
    }

    func state(after lines: [String]) -> ClusterState {
        var state = ClusterState()
        var events: [ActivityEvent] = []
        for line in lines {
            if let message = try? parse(line) { state.apply(message, now: 1_000_000_000, into: &events) }
        }
        return state
    }

    @Test func launchLinesParse() throws {
        #expect(try parse(Self.submitted) == .launch(.submitted(key: "('sum-aggregate-1f', 0)", tasks: 7)))
        #expect(try parse(#"{"v":1,"type":"result","path":"/tmp/x/result.npy","shape":[3,4],"seconds":2.5}"#)
                == .launch(.result(path: "/tmp/x/result.npy", shape: [3, 4], seconds: 2.5)))
        #expect(try parse(#"{"v":1,"type":"failed","key":"k","exception":"ValueError('x\u001b')"}"#)
                == .launch(.failed(key: "k", exception: "ValueError('x\\x1b')")))
        #expect(try parse(#"{"v":1,"type":"cancelled","remaining":-3}"#) == .launch(.cancelled(remaining: 0)))
    }

    @Test func launchLinesWithoutWhatTheyNeedAreRefused() throws {
        #expect(throws: BridgeLineError.missingField(type: "submitted", field: "tasks")) { try parse(#"{"v":1,"type":"submitted","key":"k"}"#) }
        #expect(throws: BridgeLineError.missingField(type: "submitted", field: "tasks")) {
            try parse(#"{"v":1,"type":"submitted","key":"k","tasks":[]}"#)
        }
        #expect(throws: BridgeLineError.missingField(type: "tasks", field: "tasks")) { try parse(#"{"v":1,"type":"tasks","tasks":3}"#) }
        #expect(throws: BridgeLineError.missingField(type: "result", field: "shape")) { try parse(#"{"v":1,"type":"result","path":"p"}"#) }
        #expect(throws: BridgeLineError.malformed) { try parse(#"{"v":1,"type":"result","path":"p","shape":[-1]}"#) }
    }

    @Test func theRunStateFollowsHowTheBridgeEnded() {
        #expect(state(after: [Self.hello, Self.submitted]).runState == .running)
        let done = state(after: [Self.hello, Self.submitted, #"{"v":1,"type":"result","path":"p","shape":[],"seconds":1.5}"#,
                                 #"{"v":1,"type":"bye","reason":"done"}"#])
        #expect(done.runState == .done && done.launch.seconds == 1.5 && done.launch.resultShape == [] && done.launch.tasks == 7)
        let cancelled = state(after: [Self.hello, Self.submitted, #"{"v":1,"type":"cancelled","remaining":0}"#,
                                      #"{"v":1,"type":"bye","reason":"cancelled"}"#])
        #expect(cancelled.runState == .cancelled && cancelled.launch.cancelledRemaining == 0)
        let failed = state(after: [Self.hello, Self.submitted, #"{"v":1,"type":"failed","key":"k","exception":"boom"}"#,
                                   #"{"v":1,"type":"bye","reason":"failed"}"#])
        #expect(failed.runState == .failed && failed.launch.failure == "k: boom")
        // The scheduler going away before a result is a failure, never a done run.
        #expect(state(after: [Self.hello, Self.submitted, #"{"v":1,"type":"bye","reason":"scheduler closed"}"#]).runState == .failed)
        // A watched program is done only when it exited 0.
        let watched = #"{"v":1,"type":"hello","bridge":"1.0","mode":"watch","events":"callbacks","pid":5}"#
        #expect(state(after: [watched, #"{"v":1,"type":"bye","reason":"done","exit_status":0}"#]).runState == .done)
        #expect(state(after: [watched, #"{"v":1,"type":"bye","reason":"done","exit_status":3}"#]).runState == .failed)
    }

    @Test func cancelReachesTheFeedAndTheSourceSaysWhyARunFailed() {
        let feed = CancelCountingFeed(lines: [Self.hello, Self.submitted, #"{"v":1,"type":"failed","key":"k","exception":"boom"}"#,
                                              #"{"v":1,"type":"bye","reason":"failed"}"#])
        let source = ClusterSource(feed: feed, title: "launch")
        source.cancel()
        #expect(feed.cancels == 1)
        var last: SourceUpdate?
        for _ in 0..<4 { last = source.poll() }
        #expect(last?.state == .failed && last?.failure == "the run failed: k: boom")
    }

    /// The run's CPU and threads are the cluster's sums over the worker sets read during it (each
    /// interval at its end's readings), less what they held when it started: a worker that
    /// leaves stops counting, so efficiency is over the threads that were there.
    @Test func theTallyCountsTheWorkerSetsReadDuringTheRun() throws {
        var state = ClusterState()
        var tally = ClusterRunTally()
        var events: [ActivityEvent] = []
        func apply(_ line: String) throws { state.apply(try #require(try parse(line)), now: 0, into: &events) }
        try apply(Self.hello)
        try apply(Self.workers(cpu: [100, 50], time: 100))
        try apply(Self.workers(cpu: [100, 50], time: 101))  // before the run: not counted
        tally.add(state, now: 1_000_000_000)
        try apply(Self.workers(cpu: [100, 50], time: 102))  // 1 s with 2 threads at 150%
        try apply(Self.workers(cpu: [80], time: 104))  // 2 s with 1 thread at 80%
        tally.add(state, now: 4_000_000_000)
        #expect(tally.seconds == 3 && tally.accountedSeconds == 3)
        #expect(abs(tally.cpuSeconds - 3.1) < 1e-12)
        #expect(tally.threadSeconds == 4)
        #expect(abs(tally.parallelEfficiency - 3.1 / 4) < 1e-12)
        #expect(abs(tally.cpuPercent - 310.0 / 3) < 1e-9)
        #expect(tally.peakWorkers == 2 && tally.peakThreads == 2 && tally.peakMemoryBytes == 3000)
    }

    @Test func targetsParse() {
        #expect(ClusterTarget("local:2") == .local(workers: 2))
        #expect(ClusterTarget("tcp://10.0.0.1:8786") == .scheduler(.scheduler("tcp://10.0.0.1:8786")))
        #expect(ClusterTarget("http://10.0.0.1:8787") == .scheduler(.http(host: "10.0.0.1", port: 8787)))
        for bad in ["local:0", "local:", "local:x", "local:257", "local:-1", "nowhere", ""] { #expect(ClusterTarget(bad) == nil, "\(bad)") }
    }
}
