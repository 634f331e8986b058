import BlockArray
import Engine

/// A run in Chrome's trace-event format, which Perfetto and chrome://tracing open:
/// one track per worker with an event per task (its key, block, flops and bytes),
/// and a counter track of per-core CPU%.
public enum ChromeTrace {
    /// The trace of what `recorder` saw, as JSON text.
    public static func json(of recorder: RunRecorder, status: String) -> String {
        let origin = recorder.startTime
        func microseconds(_ time: UInt64) -> Double { Double(time &- origin) / 1000 }
        var events: [JSON] = [
            .object([("name", .string("process_name")), ("ph", .string("M")), ("pid", .number(1)),
                     ("args", .object([("name", .string("blocktop (\(status))"))]))]),
        ]
        for worker in 0..<recorder.workerCount {
            events.append(.object([("name", .string("thread_name")), ("ph", .string("M")), ("pid", .number(1)),
                                   ("tid", .number(Double(worker))),
                                   ("args", .object([("name", .string("blocktop-w\(worker)"))]))]))
        }
        for event in recorder.events where event.kind == .finished || event.kind == .failed {
            let task = recorder.graph.tasks[Int(event.task)]
            var args: [(String, JSON)] = [
                ("block", .array(task.blockIndex.map { .number(Double($0)) })),
                ("flops", .number(task.flops)),
                ("bytes", .number(Double(task.outputBytes))),
            ]
            if event.kind == .failed { args.append(("failed", .bool(true))) }
            events.append(.object([
                ("name", .string(task.key.description)), ("cat", .string(event.kind == .failed ? "failed" : "task")),
                ("ph", .string("X")), ("pid", .number(1)), ("tid", .number(Double(event.worker))),
                ("ts", .number(microseconds(event.startTime))),
                ("dur", .number(Double(event.time - event.startTime) / 1000)),
                ("args", .object(args)),
            ]))
        }
        for sample in recorder.cpuSamples {
            let cores = sample.cores.enumerated().compactMap { core, busy in busy.map { ("cpu\(core)", JSON.number($0)) } }
            events.append(.object([("name", .string("CPU %")), ("ph", .string("C")), ("pid", .number(1)),
                                   ("ts", .number(microseconds(sample.time))), ("args", .object(cores))]))
        }
        return JSON.object([("traceEvents", .array(events)), ("displayTimeUnit", .string("ms"))]).serialized()
    }
}
