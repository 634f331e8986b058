import BlocktopSupport

extension ClusterSummary {
    /// The summary as one JSON object: snake_case keys, sorted; absent values left out.
    public var json: String {
        JSON.sortedObject([
            ("scheduler", scheduler.map(JSON.string)),
            ("events", .string(events.rawValue)),
            ("notice", notice.map(JSON.string)),
            ("seconds", .number(seconds)),
            ("workers", .array(workers.map(\.json))),
            ("workers_present", .integer(Int128(workersPresent))),
            ("threads", .integer(Int128(threads))),
            ("cpu_percent", .number(cpuPercent)),
            ("tasks", tasks.json),
            ("prefixes", JSON.sortedObject(prefixes.map { ($0.key, $0.value.json) })),
            ("recomputed", .integer(Int128(recomputed))),
            ("efficiency", efficiency.map(JSON.number)),
            ("erred", .array(erred.map { task in JSON.sortedObject(task.map { ($0.key, JSON.string($0.value)) }) })),
            ("skipped_lines", .integer(Int128(skippedLines))),
            ("last_skip_reason", lastSkipReason.map(JSON.string)),
            ("ended", ended.map(JSON.string)),
            ("program", program.map { .array($0.map(JSON.string)) }),
            ("pid", pid.map { .integer(Int128($0)) }),
            ("exit_status", exitStatus.map { .integer(Int128($0)) }),
        ]).serialized()
    }
}

extension ClusterSummary.Worker {
    fileprivate var json: JSON {
        JSON.sortedObject([
            ("address", .string(address)), ("name", .string(name)), ("host", .string(host)), ("threads", .integer(Int128(threads))),
            ("cpu_percent", .number(cpuPercent)), ("memory_bytes", .integer(Int128(memoryBytes))), ("executing", .integer(Int128(executing))),
            ("present", .bool(present)),
        ])
    }
}

extension ClusterSummary.Tasks {
    fileprivate var json: JSON {
        JSON.sortedObject([
            ("total", .integer(Int128(total))), ("done", .integer(Int128(done))),
            ("states", JSON.sortedObject(states.map { ($0.key, JSON.integer(Int128($0.value))) })),
        ])
    }
}
