import BlockArray
import BlocktopSupport
import DashboardModel
import Engine
import Reporting
import Telemetry

/// A run on this machine's `Engine`, read through the engine's event log and run handle,
/// with /proc readings from Telemetry; a recorder keeps every event for the report and trace.
public final class EngineSource: DashboardSource {
    public private(set) lazy var run: RunDescription = describe()
    /// Every event drained so far, and the CPU readings, for the report and the trace.
    public let recorder: RunRecorder
    private let handle: RunHandle
    private let title: String
    private let chunks: Chunks
    private let blockNote: String?
    private let workerCount: Int
    /// CPUs' worth of time the run may use.
    private let capacity: Double
    private let events: EventLog
    private let workerThreads: [Int: Int32]
    /// The CPUs this process may use, where others' share is summed for the header; all when unknown.
    private let usableCores: [Int]?
    private var sampler: TelemetrySampler<Int>?
    /// Shape of the result, and its value in a few words once the run is done.
    private let resultShape: [Int]
    private var result: String?

    /// Starts `graph` on `engine`; `title`, the chunks of the array the header names (its shape,
    /// its largest block's shape and its block count) and `blockNote` (how the blocks were chosen,
    /// when not as the expression says) describe it in the header.
    public init(engine: Engine, graph: TaskGraph, title: String, chunks: Chunks, blockNote: String? = nil) {
        self.title = title
        self.chunks = chunks
        self.blockNote = blockNote
        workerCount = engine.workerCount
        resultShape = graph.outputChunks.shape
        let availability = try? CPUAvailability.current()
        capacity = availability?.capacity ?? Double(engine.workerCount)
        usableCores = availability?.allowedCPUs
        workerThreads = Dictionary(uniqueKeysWithValues: engine.workerThreadIDs.enumerated().map { ($0.offset, $0.element) })
        sampler = try? TelemetrySampler<Int>()
        recorder = RunRecorder(graph: graph, workers: engine.workerCount)
        events = engine.makeEventLog()
        handle = engine.start(graph, events: events)
    }

    /// The description of the run, made when first asked for (a headless run never asks: a
    /// million-task graph's summary is not free).
    private func describe() -> RunDescription {
        let summary = recorder.graph.summary
        var description = RunDescription(title: title, arrayShape: chunks.shape, blockShape: chunks.sizes.map { $0.max() ?? 0 },
                                         blockNote: blockNote, blockCount: chunks.blockCount,
                                         workerCount: workerCount, capacity: capacity, taskFlops: summary.taskFlops,
                                         stages: summary.stages.map(BlockGridMap.init), heaviest: summary.heaviestStage,
                                         operations: summary.operations, operationOfTask: summary.operationOfTask)
        // Regular chunks are one size but for a smaller last block per axis.
        description.blocksVary = chunks.sizes.contains { sizes in
            sizes.dropLast().contains { $0 != sizes[0] } || (sizes.last ?? 0) > (sizes.first ?? 0)
        }
        return description
    }

    /// Waits up to `seconds` for the run to end and records what happened meanwhile, without
    /// sampling the machine (a headless run's loop); says whether it ended.
    public func advance(waitingUpTo seconds: Double) -> Bool {
        recorder.follow(handle, events: events, waitingUpTo: seconds) != nil
    }

    public func poll() -> SourceUpdate {
        // Status first: every event of a task the status counts was published before it.
        let progress = handle.progress
        if progress.status.isFinal { recorder.noteEnded() }
        let raw = events.drain()
        recorder.record(raw)
        let drained = raw.map { event in
            ActivityEvent(ActivityEvent.Kind(event.kind), worker: Int(event.worker), task: Int(event.task),
                          time: event.time, startTime: event.startTime)
        }
        var failure: String?
        if progress.status == .failed { failure = handle.wait().failure.map { "block \($0.blockIndex): \($0.underlying)" } }
        if progress.status == .done && result == nil { result = describe(handle.wait().outputs) }
        return SourceUpdate(time: monotonicNanoseconds(), events: drained, state: progress.status,
                            activeSeconds: progress.activeSeconds, failure: failure, bytesHeld: progress.statistics.bytesHeld,
                            peakBytesHeld: progress.statistics.peakBytesHeld, machine: sampleMachine(), result: result)
    }

    public func pause() {
        handle.pause()
        recorder.notePaused()
    }

    public func resume() {
        handle.resume()
        recorder.noteResumed()
    }

    public func cancel() { handle.cancel() }

    /// Cancel, pause, new runs and a bar per core of this machine.
    public var capabilities: SourceCapabilities { .localRun }
    public func refusal(of capability: SourceCapabilities) -> String { SourceCapabilities.standardRefusal(of: capability) }

    /// Waits for the run to end, records the events the dashboard did not drain, and closes
    /// the books: the figures of the report and the trace.
    public func finish() -> RunSummary {
        let ended = handle.wait()
        recorder.record(events.drain())
        return recorder.finish(ended)
    }

    /// Blocks until no task of this run is on a worker (a cancelled run's last kernels finish),
    /// so the process can exit without tearing down libraries a kernel still uses.
    public func settle() {
        handle.waitUntilIdle()
    }

    /// A scalar result as a number; an array by its shape.
    private func describe(_ outputs: [DenseArray]) -> String {
        if outputs.count == 1, let value = outputs[0].scalar { return "\(value)" }
        return "array of shape \(resultShape.map(String.init).joined(separator: "×"))"
    }

    private func sampleMachine() -> MachineReading? {
        guard var sampler, let sample = try? sampler.sample(workers: workerThreads) else { return nil }
        self.sampler = sampler
        let cpu = sample.cpu
        return MachineReading(
            cores: cpu.cores.map { $0.map { CoreLoad(own: $0.own ?? 0, others: $0.others ?? $0.busy) } },
            processCPU: sample.process.cpuPercent,
            othersCPUs: cpu.othersCPUs(on: usableCores ?? Array(cpu.cores.indices)), residentBytes: sample.process.residentBytes,
            workerCPU: (0..<workerCount).map { sample.workers[$0] },
            memoryTotal: sample.memory.totalBytes, memoryAvailable: sample.memory.availableBytes)
    }
}

extension BlockGridMap {
    /// The grid a graph summary chose.
    init(_ grid: GraphSummary.Grid) {
        self.init(stage: grid.operation, extent: grid.extent, steps: grid.steps, blockOfTask: grid.blockOfTask,
                  blockSizes: grid.blockSizes)
    }
}

extension ActivityEvent.Kind {
    init(_ kind: TaskEvent.Kind) {
        switch kind {
        case .ready: self = .ready
        case .started: self = .started
        case .finished: self = .finished
        case .failed: self = .failed
        }
    }
}
