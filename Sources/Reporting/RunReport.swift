import BlockArray
import BlocktopSupport
import Engine
import Foundation

/// The report of a headless run: plain lines for people, or one JSON object for scripts.
public struct RunReport {
    public let expression: String
    public let summary: RunSummary
    /// The computed array, when the run finished and it has at most `largestListedResult` elements.
    public let value: DenseArray?
    /// The blocks of the largest array the computation creates (the dashboard header's "array"),
    /// named in the text report only; the JSON `shape` and `chunks` describe the result.
    public let largestInput: Chunks?
    /// The files the computation reads.
    public var inputs: [FileNote] = []
    /// The file the result is written to (`--output`), when one is.
    public var output: FileNote?

    public init(expression: String, summary: RunSummary, largestInput: Chunks? = nil) {
        self.expression = expression
        self.summary = summary
        self.largestInput = largestInput
        let chunks = summary.graph.outputChunks
        let outputs = summary.result.outputs
        value = summary.result.status == .done && elementCount(chunks.shape) <= Self.largestListedResult
            ? assemble(outputs, chunks: chunks) : nil
    }

    /// Arrays up to this many elements are reported whole; larger ones by shape and summary.
    public static let largestListedResult = 10_000

    /// How the run ended, as the JSON report and the exit status name it.
    public var status: String { summary.outcome.rawValue }

    /// The report as one JSON object with snake_case fields (documented in the README).
    public var json: JSON {
        let s = summary
        var members: [(String, JSON)] = [
            ("status", .string(status)),
            ("expression", .string(expression)),
            ("result", resultJSON),
            ("shape", .array(s.graph.outputChunks.shape.map { .number(Double($0)) })),
            ("chunks", .array(s.graph.outputChunks.sizes.map { sizes in .array(sizes.map { .number(Double($0)) }) })),
            ("workers", .number(Double(s.workers))),
            ("wall_seconds", .number(s.wallSeconds)),
            ("cpu_percent", .number(s.cpuPercent)),
            ("parallel_efficiency", .number(s.parallelEfficiency)),
            ("gflops", .number(s.gflops)),
            ("tasks", .number(Double(s.graph.count))),
            ("tasks_done", .number(Double(s.result.statistics.tasksRun))),
            ("tasks_per_second", .number(s.tasksPerSecond)),
            ("peak_rss_bytes", .number(Double(s.peakRSSBytes))),
            ("peak_held_bytes", .number(Double(s.result.statistics.peakBytesHeld))),
        ] + s.competitionJSON
        if !inputs.isEmpty { members.append(("inputs", .array(inputs.map { $0.json() }))) }
        if let output { members.append(("output", output.json(written: s.outcome == .done))) }
        if let failure = s.result.failure {
            members.append(("error", .string("\(failure)")))
        }
        return .object(members)
    }

    private var resultJSON: JSON {
        guard summary.result.status == .done else { return .null }
        return value.map(ResultValue.json) ?? ResultValue.statistics(shape: summary.graph.outputChunks.shape, blocks: summary.result.outputs)
    }

    /// The report for people, one figure per line.
    public var text: String {
        let s = summary
        var lines: [String] = []
        lines.append("expression   \(expression)")
        lines.append("status       \(status)" + (s.result.failure.map { ": \($0)" } ?? ""))
        if summary.result.status == .done, let output, let written = value?.scalar {
            // The run's value is the count of elements it wrote.
            lines.append("result       written to \(output.path): \(Int(written)) elements")
        } else if summary.result.status == .done {
            lines.append("result       " + (value.map(ResultValue.text) ?? "array of shape \(summary.graph.outputChunks.shape): " + resultJSON.serialized()))
        }
        let result = summary.graph.outputChunks
        if !result.shape.isEmpty { lines.append("blocks       result " + ResultValue.blocks(result)) }
        if let largestInput, largestInput != result { lines.append("input        largest array " + ResultValue.blocks(largestInput)) }
        for file in inputs { lines.append("loaded       \(file.path): \(file.text)") }
        if let output {
            lines.append("output       \(output.path): " + (s.outcome == .done ? output.text : "not written (the run \(status))"))
        }
        lines.append(String(format: "wall         %.3f s", s.wallSeconds))
        lines.append(String(format: "cpu          %.0f%% with %d ", s.cpuPercent, s.workers) + (s.workers == 1 ? "worker" : "workers")
                     + String(format: " (parallel efficiency %.1f%%)", s.parallelEfficiency * 100))
        lines.append(String(format: "others       %.2f", s.othersCPUs) + " of \(Competition.cpus(s.capacity)) taken by other processes"
                     + (s.isDisturbed ? ": the run was disturbed" : ""))
        lines.append(String(format: "gflops       %.1f", s.gflops))
        lines.append(String(format: "tasks        %d of %d, %.0f per second", s.result.statistics.tasksRun, s.graph.count, s.tasksPerSecond))
        lines.append("memory       peak RSS \(ByteCount.text(s.peakRSSBytes)), peak held in blocks \(ByteCount.text(s.result.statistics.peakBytesHeld))")
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
