import BlockArray
import Engine

/// Runs in Chrome's trace-event format, which Perfetto and chrome://tracing open: per run a
/// process with one track per worker, an event per task named and categorised by its operation
/// (so a viewer groups and colours tasks by what they do) with its key, block, flops and bytes,
/// and a counter track of per-core CPU%. Times count from the first run's start.
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

    /// The trace of `runs`, as JSON text.
    public static func json(of runs: [Run]) -> String {
        let origin = runs.map(\.recorder.startTime).min() ?? 0
        var events: [JSON] = []
        for (index, run) in runs.enumerated() { append(run, pid: index + 1, origin: origin, to: &events) }
        return JSON.object([("traceEvents", .array(events)), ("displayTimeUnit", .string("ms"))]).serialized()
    }

    private static func append(_ run: Run, pid: Int, origin: UInt64, to events: inout [JSON]) {
        let recorder = run.recorder, process = JSON.number(Double(pid))
        func microseconds(_ time: UInt64) -> Double { Double(time &- origin) / 1000 }
        events.append(.object([("name", .string("process_name")), ("ph", .string("M")), ("pid", process),
                               ("args", .object([("name", .string(run.name))]))]))
        for worker in 0..<recorder.workerCount {
            events.append(.object([("name", .string("thread_name")), ("ph", .string("M")), ("pid", process),
                                   ("tid", .number(Double(worker))),
                                   ("args", .object([("name", .string("blocktop-w\(worker)"))]))]))
        }
        for event in recorder.events where event.kind == .finished || event.kind == .failed {
            let graph = recorder.graph, id = Int(event.task)
            let operation = graph.operation(of: id)
            var args: [(String, JSON)] = [
                ("key", .string(graph.key(of: id).description)),
                ("block", .array(graph.blockIndex(of: id).map { .number(Double($0)) })),
                ("flops", .number(graph.taskFlops[id])),
                ("bytes", .number(Double(graph.outputBytes(of: id)))),
            ]
            if event.kind == .failed { args.append(("failed", .bool(true))) }
            events.append(.object([
                ("name", .string(operation)), ("cat", .string(operation)),
                ("ph", .string("X")), ("pid", process), ("tid", .number(Double(event.worker))),
                ("ts", .number(microseconds(event.startTime))),
                ("dur", .number(Double(event.time - event.startTime) / 1000)),
                ("args", .object(args)),
            ]))
        }
        for sample in recorder.cpuSamples {
            let cores = sample.cores.enumerated().compactMap { core, busy in busy.map { ("cpu\(core)", JSON.number($0)) } }
            events.append(.object([("name", .string("CPU %")), ("ph", .string("C")), ("pid", process),
                                   ("ts", .number(microseconds(sample.time))), ("args", .object(cores))]))
        }
    }
}
