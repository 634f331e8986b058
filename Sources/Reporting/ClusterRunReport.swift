import BlockArray
import BlocktopSupport

/// The report of a run launched on a Dask cluster (`run --cluster`): the same figures as a local
/// run's report where the cluster has them, and the cluster it ran on.
package struct ClusterRunReport {
    /// What was measured of the run.
    package struct Figures: Sendable {
        package var outcome: RunOutcome
        package var expression: String
        /// The result's blocks (blocktop's own chunks of it, which the translation keeps).
        package var chunks: Chunks
        /// The result, read back from the cluster, when the run is done.
        package var value: DenseArray?
        package var scheduler: String
        /// N for a `local:N` cluster blocktop started, nil for one that was there.
        package var localWorkers: Int?
        /// The most worker processes and threads present at once during the run.
        package var workers: Int
        package var threads: Int
        /// Seconds from submitting the graph to gathering the result (the bridge's clock); for a
        /// run that did not finish, to its end (blocktop's polls).
        package var wallSeconds: Double
        /// The workers' average CPU over the run (100 = one core), from their heartbeats.
        package var cpuPercent: Double
        /// Workers' CPU time over the threads' time present (departed workers count while they were there).
        package var parallelEfficiency: Double
        package var tasks: Int
        package var tasksDone: Int
        /// The most memory the workers held together at one heartbeat.
        package var peakMemoryBytes: Int
        package var failure: String?
        /// The file the result was to be written to (`--output`), and whether it was.
        package var output: FileNote?
        package var outputWritten = false
        /// The run's tasks for a trace: a lane per worker thread, a span per task that ended.
        package var laneNames: [String] = []
        package var spans: [ChromeTrace.Span] = []

        package init(outcome: RunOutcome, expression: String, chunks: Chunks, scheduler: String) {
            self.outcome = outcome
            self.expression = expression
            self.chunks = chunks
            self.scheduler = scheduler
            workers = 0
            threads = 0
            wallSeconds = 0
            cpuPercent = 0
            parallelEfficiency = 0
            tasks = 0
            tasksDone = 0
            peakMemoryBytes = 0
        }
    }

    package let figures: Figures

    package init(_ figures: Figures) {
        self.figures = figures
    }

    private var listed: DenseArray? {
        figures.value.flatMap { $0.count <= RunReport.largestListedResult ? $0 : nil }
    }

    private var resultJSON: JSON {
        guard let value = figures.value else { return .null }
        return listed.map(ResultValue.json) ?? ResultValue.statistics(shape: value.shape, blocks: [value])
    }

    private var tasksPerSecond: Double { figures.wallSeconds > 0 ? Double(figures.tasksDone) / figures.wallSeconds : 0 }

    /// One JSON object, with the fields of a local run's report that a cluster has, and `cluster`.
    package var json: JSON {
        let f = figures
        var members: [(String, JSON)] = [
            ("status", .string(f.outcome.rawValue)),
            ("expression", .string(f.expression)),
            ("result", resultJSON),
            ("shape", .array(f.chunks.shape.map { .number(Double($0)) })),
            ("chunks", .array(f.chunks.sizes.map { sizes in .array(sizes.map { .number(Double($0)) }) })),
            ("cluster", .object([
                ("scheduler", .string(f.scheduler)),
                ("started", f.localWorkers.map { .string("local:\($0)") } ?? .null),
                ("workers", .number(Double(f.workers))),
                ("threads", .number(Double(f.threads))),
            ])),
            ("workers", .number(Double(f.threads))),
            ("wall_seconds", .number(f.wallSeconds)),
            ("cpu_percent", .number(f.cpuPercent)),
            ("parallel_efficiency", .number(f.parallelEfficiency)),
            ("tasks", .number(Double(f.tasks))),
            ("tasks_done", .number(Double(f.tasksDone))),
            ("tasks_per_second", .number(tasksPerSecond)),
            ("peak_worker_memory_bytes", .number(Double(f.peakMemoryBytes))),
        ]
        if let output = f.output { members.append(("output", output.json(written: f.outputWritten))) }
        if let failure = f.failure { members.append(("error", .string(failure))) }
        return .object(members)
    }

    /// The report for people, one figure per line.
    package var text: String {
        let f = figures
        var lines = ["expression   \(f.expression)", "status       \(f.outcome.rawValue)" + (f.failure.map { ": \($0)" } ?? "")]
        if let value = f.value {
            lines.append("result       " + (listed.map(ResultValue.text) ?? "array of shape \(value.shape): " + resultJSON.serialized()))
        }
        if !f.chunks.shape.isEmpty { lines.append("blocks       result " + ResultValue.blocks(f.chunks)) }
        if let output = f.output {
            lines.append("output       \(output.path): " + (f.outputWritten ? output.text : "not written (the run \(f.outcome.rawValue))"))
        }
        lines.append("cluster      \(f.scheduler)" + (f.localWorkers.map { " (local:\($0), started by blocktop)" } ?? "")
                     + " · \(f.workers) \(f.workers == 1 ? "worker" : "workers"), \(f.threads) \(f.threads == 1 ? "thread" : "threads")")
        lines.append(String(format: "wall         %.3f s", f.wallSeconds))
        lines.append(String(format: "cpu          %.0f%% of the workers (parallel efficiency %.1f%% of their threads)",
                            f.cpuPercent, f.parallelEfficiency * 100))
        lines.append(String(format: "tasks        %d of %d, %.0f per second", f.tasksDone, f.tasks, tasksPerSecond))
        lines.append("memory       peak held by the workers \(ByteCount.text(f.peakMemoryBytes))")
        return lines.joined(separator: "\n")
    }
}
