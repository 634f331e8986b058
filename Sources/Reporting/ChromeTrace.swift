import BlockArray
import BlocktopSupport
import Engine

/// Runs in Chrome's trace-event format, which Perfetto and chrome://tracing open: per run a
/// process with one track per worker (a cluster's: per worker thread), an event per task named
/// and categorised by its operation (so a viewer groups and colours tasks by what they do) with
/// its key and block (and, for blocktop's own tasks, flops and bytes), and for a local run a
/// counter track of per-core CPU%. Times count from the first run's start.
public enum ChromeTrace {
    /// One recorded run and the name its process gets in the trace.
    public struct Run {
        public let name: String
        public let recorder: RunRecorder

        public init(name: String, recorder: RunRecorder) {
            self.name = name
            self.recorder = recorder
        }
    }

    /// A run on a cluster: its tasks' spans on the lanes of its workers' threads.
    public struct ClusterRun {
        public let name: String
        /// A name per lane (`127.0.0.1:40001 thread 2`).
        public let laneNames: [String]
        public let spans: [Span]

        public init(name: String, laneNames: [String], spans: [Span]) {
            self.name = name
            self.laneNames = laneNames
            self.spans = spans
        }
    }

    /// A task that ran on a lane from `start` to `end` (monotonic nanoseconds).
    public struct Span: Sendable {
        public let operation: String
        public let key: String
        public let block: [Int]
        public let lane: Int
        public let start, end: UInt64
        public let failed: Bool

        public init(operation: String, key: String, block: [Int], lane: Int, start: UInt64, end: UInt64, failed: Bool) {
            self.operation = operation
            self.key = key
            self.block = block
            self.lane = lane
            self.start = start
            self.end = end
            self.failed = failed
        }
    }

    /// The trace of `runs`, as JSON text.
    public static func json(of runs: [Run]) -> String {
        let origin = runs.map(\.recorder.startTime).min() ?? 0
        var events: [JSON] = []
        for (index, run) in runs.enumerated() { append(run, pid: index + 1, origin: origin, to: &events) }
        return document(events)
    }

    /// The trace of runs on a cluster, as JSON text.
    public static func json(of runs: [ClusterRun]) -> String {
        let origin = runs.flatMap { $0.spans.map(\.start) }.min() ?? 0
        var events: [JSON] = []
        for (index, run) in runs.enumerated() {
            events += process(pid: index + 1, name: run.name, lanes: run.laneNames)
            events += run.spans.map { span in
                var args: [(String, JSON)] = [("key", .string(span.key)), ("block", .array(span.block.map { .number(Double($0)) }))]
                if span.failed { args.append(("failed", .bool(true))) }
                return task(span.operation, pid: index + 1, lane: span.lane, start: span.start, end: span.end, origin: origin, args: args)
            }
        }
        return document(events)
    }

    private static func document(_ events: [JSON]) -> String {
        JSON.object([("traceEvents", .array(events)), ("displayTimeUnit", .string("ms"))]).serialized()
    }

    /// The metadata naming process `pid` and its lanes.
    private static func process(pid: Int, name: String, lanes: [String]) -> [JSON] {
        [.object([("name", .string("process_name")), ("ph", .string("M")), ("pid", .number(Double(pid))),
                  ("args", .object([("name", .string(name))]))])]
            + lanes.enumerated().map { lane, laneName in
                .object([("name", .string("thread_name")), ("ph", .string("M")), ("pid", .number(Double(pid))),
                         ("tid", .number(Double(lane))), ("args", .object([("name", .string(laneName))]))])
            }
    }

    /// A task's complete event: `operation` on `lane` of process `pid` from `start` to `end`.
    private static func task(_ operation: String, pid: Int, lane: Int, start: UInt64, end: UInt64, origin: UInt64,
                             args: [(String, JSON)]) -> JSON {
        .object([
            ("name", .string(operation)), ("cat", .string(operation)),
            ("ph", .string("X")), ("pid", .number(Double(pid))), ("tid", .number(Double(lane))),
            ("ts", .number(Double(start &- origin) / 1000)),
            ("dur", .number(Double(end &- start) / 1000)),
            ("args", .object(args)),
        ])
    }

    private static func append(_ run: Run, pid: Int, origin: UInt64, to events: inout [JSON]) {
        let recorder = run.recorder
        events += process(pid: pid, name: run.name, lanes: (0..<recorder.workerCount).map { "blocktop-w\($0)" })
        for event in recorder.events where event.kind == .finished || event.kind == .failed {
            let graph = recorder.graph, id = Int(event.task)
            var args: [(String, JSON)] = [
                ("key", .string(graph.key(of: id).description)),
                ("block", .array(graph.blockIndex(of: id).map { .number(Double($0)) })),
                ("flops", .number(graph.taskFlops[id])),
                ("bytes", .number(Double(graph.outputBytes(of: id)))),
            ]
            if event.kind == .failed { args.append(("failed", .bool(true))) }
            events.append(task(graph.operation(of: id), pid: pid, lane: Int(event.worker), start: event.startTime, end: event.time,
                               origin: origin, args: args))
        }
        for sample in recorder.cpuSamples {
            let cores = sample.cores.enumerated().compactMap { core, busy in busy.map { ("cpu\(core)", JSON.number($0)) } }
            events.append(.object([("name", .string("CPU %")), ("ph", .string("C")), ("pid", .number(Double(pid))),
                                   ("ts", .number(Double(sample.time &- origin) / 1000)), ("args", .object(cores))]))
        }
    }
}
