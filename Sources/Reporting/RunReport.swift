import BlockArray
import BlocktopSupport
import Engine
import Foundation
import RunVocabulary

/// The report of a run, here or on a Dask cluster: plain lines for people, or one JSON object for
/// scripts. A cluster's report has a local run's figures where the cluster has them, and the cluster.
package struct RunReport: Sendable {
    package var outcome: RunOutcome
    package var expression: String
    /// Why the run failed, when it did.
    package var failure: String?
    /// The result's blocks (on a cluster blocktop's own chunks of it, which the translation keeps).
    package var chunks: Chunks
    /// The result's blocks once the run is done (a cluster's: the whole result, read back); nil before.
    package private(set) var result: [DenseArray]?
    /// The result whole, when the run is done and it has at most `largestListedResult` elements.
    package private(set) var value: DenseArray?
    /// Whether, with an `output`, the result is the count of elements the run's own tasks wrote
    /// there (a local run's) rather than the array (a cluster's, written once it came back).
    package var resultCountsWritten = false
    /// The blocks of the largest array the computation creates (the dashboard header's "array"),
    /// named in the text report only; the JSON `shape` and `chunks` describe the result.
    package var largestInput: Chunks?
    /// The files the computation reads.
    package var inputs: [FileNote] = []
    /// The file the result is written to (`--output`), when one is, and whether it was.
    package var output: FileNote?
    package var outputWritten = false
    /// Worker threads: blocktop's, or the most a cluster had present at once.
    package var workers = 0
    /// Seconds the run took (a cluster's: from submitting the graph to gathering the result, on
    /// the bridge's clock; for a run that did not finish, to its end).
    package var wallSeconds = 0.0
    /// CPU over the run, 100 = one core: this process's, or the cluster's workers' (from their heartbeats).
    package var cpuPercent = 0.0
    /// How much of the workers' time was spent computing (on a cluster: CPU time over the time of
    /// the threads present, departed workers counting while they were there).
    package var parallelEfficiency = 0.0
    package var tasks = 0
    package var tasksDone = 0
    /// What only a run here measures; nil on a cluster.
    package var local: Local?
    /// The cluster the run went to; nil for a run here.
    package var cluster: Cluster?

    /// What only a run on this machine measures.
    package struct Local: Sendable {
        /// Estimated GFLOP/s of the tasks that finished.
        package var gflops: Double
        package var peakRSSBytes: Int
        /// The most memory the run held in blocks at once.
        package var peakHeldBytes: Int
        /// What other processes took of the CPUs the run could use.
        package var competition: Competition.Reading
    }

    /// The cluster a run went to.
    package struct Cluster: Sendable {
        package var scheduler: String
        /// N for a `local:N` cluster blocktop started, nil for one that was there.
        package var localWorkers: Int?
        /// The most worker processes and threads present at once during the run.
        package var workers = 0
        package var threads = 0
        /// The most memory the workers held together at one heartbeat.
        package var peakMemoryBytes = 0

        package init(scheduler: String, localWorkers: Int?) {
            self.scheduler = scheduler
            self.localWorkers = localWorkers
        }
    }

    /// A report with no figures yet, of a run that ended with `outcome` and whose result has `chunks`.
    package init(outcome: RunOutcome, expression: String, chunks: Chunks) {
        self.outcome = outcome
        self.expression = expression
        self.chunks = chunks
    }

    /// The report of a run here, from its summary.
    package init(expression: String, summary: RunSummary, largestInput: Chunks? = nil) {
        self.init(outcome: summary.outcome, expression: expression, chunks: summary.graph.outputChunks)
        self.largestInput = largestInput
        failure = summary.result.failure.map { "\($0)" }
        if summary.result.status == .done { setResult(blocks: summary.result.outputs) }
        resultCountsWritten = true
        // A local run's tasks write its output: it is there when the run is done.
        outputWritten = summary.outcome == .done
        workers = summary.workers
        wallSeconds = summary.wallSeconds
        cpuPercent = summary.cpuPercent
        parallelEfficiency = summary.parallelEfficiency
        tasks = summary.graph.count
        tasksDone = summary.result.statistics.tasksRun
        local = Local(gflops: summary.gflops, peakRSSBytes: summary.peakRSSBytes, peakHeldBytes: summary.result.statistics.peakBytesHeld,
                      competition: summary.competition)
    }

    /// Arrays up to this many elements are reported whole; larger ones by shape and summary.
    package static let largestListedResult = 10_000

    /// Sets the result of a done run from its blocks, in `chunks`' order.
    package mutating func setResult(blocks: [DenseArray]) {
        result = blocks
        value = elementCount(chunks.shape) <= Self.largestListedResult ? assemble(blocks, chunks: chunks) : nil
    }

    /// Sets the result of a done run from the whole array (a cluster's, read back).
    package mutating func setResult(whole array: DenseArray) {
        result = [array]
        value = array.count <= Self.largestListedResult ? array : nil
    }

    /// How the run ended, as the JSON report and the exit status name it.
    package var status: String { outcome.rawValue }

    private var tasksPerSecond: Double { wallSeconds > 0 ? Double(tasksDone) / wallSeconds : 0 }

    /// The report as one JSON object with snake_case fields (documented in the README).
    package var json: JSON {
        var members: [(String, JSON)] = [
            ("status", .string(status)),
            ("expression", .string(expression)),
            ("result", resultJSON),
            ("shape", .array(chunks.shape.map { .number(Double($0)) })),
            ("chunks", .array(chunks.sizes.map { sizes in .array(sizes.map { .number(Double($0)) }) })),
        ]
        if let cluster {
            members.append(("cluster", .object([
                ("scheduler", .string(cluster.scheduler)),
                ("started", cluster.localWorkers.map { .string("local:\($0)") } ?? .null),
                ("workers", .number(Double(cluster.workers))),
                ("threads", .number(Double(cluster.threads))),
            ])))
        }
        members += [
            ("workers", .number(Double(workers))),
            ("wall_seconds", .number(wallSeconds)),
            ("cpu_percent", .number(cpuPercent)),
            ("parallel_efficiency", .number(parallelEfficiency)),
        ]
        if let local { members.append(("gflops", .number(local.gflops))) }
        members += [
            ("tasks", .number(Double(tasks))),
            ("tasks_done", .number(Double(tasksDone))),
            ("tasks_per_second", .number(tasksPerSecond)),
        ]
        if let local {
            members += [("peak_rss_bytes", .number(Double(local.peakRSSBytes))), ("peak_held_bytes", .number(Double(local.peakHeldBytes)))]
                + local.competition.json
        }
        if let cluster { members.append(("peak_worker_memory_bytes", .number(Double(cluster.peakMemoryBytes)))) }
        if !inputs.isEmpty { members.append(("inputs", .array(inputs.map { $0.json() }))) }
        if let output { members.append(("output", output.json(written: outputWritten))) }
        if let failure { members.append(("error", .string(failure))) }
        return .object(members)
    }

    private var resultJSON: JSON {
        guard let result else { return .null }
        return value.map(ResultValue.json) ?? ResultValue.statistics(shape: chunks.shape, blocks: result)
    }

    /// The report for people, one figure per line.
    package var text: String {
        var lines: [String] = []
        lines.append("expression   \(expression)")
        lines.append("status       \(status)" + (failure.map { ": \($0)" } ?? ""))
        if result != nil, resultCountsWritten, let output, let written = value?.scalar {
            // The run's value is the count of elements it wrote.
            lines.append("result       written to \(output.path): \(Int(written)) elements")
        } else if result != nil {
            lines.append("result       " + (value.map(ResultValue.text) ?? "array of shape \(chunks.shape): " + resultJSON.serialized()))
        }
        if !chunks.shape.isEmpty { lines.append("blocks       result " + ResultValue.blocks(chunks)) }
        if let largestInput, largestInput != chunks { lines.append("input        largest array " + ResultValue.blocks(largestInput)) }
        for file in inputs { lines.append("loaded       \(file.path): \(file.text)") }
        if let output {
            lines.append("output       \(output.path): " + (outputWritten ? output.text : "not written (the run \(status))"))
        }
        if let cluster {
            lines.append("cluster      \(cluster.scheduler)" + (cluster.localWorkers.map { " (local:\($0), started by blocktop)" } ?? "")
                         + " · \(cluster.workers) \(cluster.workers == 1 ? "worker" : "workers"), \(cluster.threads) \(cluster.threads == 1 ? "thread" : "threads")")
        }
        lines.append(String(format: "wall         %.3f s", wallSeconds))
        if cluster != nil {
            lines.append(String(format: "cpu          %.0f%% of the workers (parallel efficiency %.1f%% of their threads)",
                                cpuPercent, parallelEfficiency * 100))
        } else {
            lines.append(String(format: "cpu          %.0f%% with %d ", cpuPercent, workers) + (workers == 1 ? "worker" : "workers")
                         + String(format: " (parallel efficiency %.1f%%)", parallelEfficiency * 100))
        }
        if let local {
            let competition = local.competition
            lines.append(String(format: "others       %.2f", competition.othersCPUs) + " of \(Competition.cpus(competition.capacity)) taken by other processes"
                         + (competition.disturbed ? ": the run was disturbed" : ""))
            lines.append(String(format: "gflops       %.1f", local.gflops))
        }
        lines.append(String(format: "tasks        %d of %d, %.0f per second", tasksDone, tasks, tasksPerSecond))
        if let local {
            lines.append("memory       peak RSS \(ByteCount.text(local.peakRSSBytes)), peak held in blocks \(ByteCount.text(local.peakHeldBytes))")
        }
        if let cluster { lines.append("memory       peak held by the workers \(ByteCount.text(cluster.peakMemoryBytes))") }
        return lines.joined(separator: "\n")
    }
}

/// A file a run reads or writes, as reports name it.
public struct FileNote: Sendable, Equatable {
    public let path: String
    /// The element type in the file (`int16`, `float32 (big-endian)` …).
    public let dtype: String
    /// `C` or `Fortran`, or the layout of a format without an order (HDF5's `chunked 100×100`).
    public let order: String
    public let shape: [Int]

    public init(path: String, dtype: String, order: String, shape: [Int]) {
        self.path = path
        self.dtype = dtype
        self.order = order
        self.shape = shape
    }

    /// `int16, C order, 100×200`, or `int16, contiguous, 100×200` for a layout that is not an order.
    var text: String {
        "\(dtype), \(order)\(["C", "Fortran"].contains(order) ? " order" : ""), " + (shape.isEmpty ? "a scalar" : shape.map(String.init).joined(separator: "×"))
    }

    func json(written: Bool? = nil) -> JSON {
        var members: [(String, JSON)] = [
            ("path", .string(path)), ("dtype", .string(dtype)), ("order", .string(order)),
            ("shape", .array(shape.map { .number(Double($0)) })),
        ]
        if let written { members.append(("written", .bool(written))) }
        return .object(members)
    }
}
