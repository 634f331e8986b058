import BlocktopSupport
import BlockArray
import Engine
import Telemetry

/// A run on this machine's `Engine`, read through the engine's public event log and
/// run handle, with /proc readings from Telemetry.
public final class EngineSource: DashboardSource {
    public let run: RunDescription
    private let handle: RunHandle
    private let events: EventLog
    private let workerThreads: [Int: Int32]
    private var sampler: TelemetrySampler<Int>?
    /// Also receives every drained event (a recorder for reports and traces).
    private let eventTap: (([TaskEvent]) -> Void)?
    /// Shape of the result, and its value in a few words once the run is done.
    private let resultShape: [Int]
    private var result: String?

    /// Starts `graph` on `engine`; `title`, `arrayShape` and `blockShape` describe it in the header;
    /// `eventTap` sees the engine's events as they are drained.
    public init(engine: Engine, graph: TaskGraph, title: String, arrayShape: [Int], blockShape: [Int],
                eventTap: (([TaskEvent]) -> Void)? = nil) {
        self.eventTap = eventTap
        self.resultShape = graph.outputChunks.shape
        let capacity = (try? CPUAvailability.current())?.capacity ?? Double(engine.workerCount)
        let blockCount = zip(arrayShape, blockShape).reduce(1) { count, axis in
            count * (axis.1 > 0 ? (axis.0 + axis.1 - 1) / axis.1 : 1)
        }
        run = RunDescription(title: title, arrayShape: arrayShape, blockShape: blockShape, blockCount: blockCount,
                             workerCount: engine.workerCount, capacity: capacity,
                             taskFlops: graph.tasks.map(\.flops), grid: BlockGridMap(graph: graph))
        workerThreads = Dictionary(uniqueKeysWithValues: engine.workerThreadIDs.enumerated().map { ($0.offset, $0.element) })
        sampler = try? TelemetrySampler<Int>()
        events = engine.makeEventLog()
        handle = engine.start(graph, events: events)
    }

    public func poll() -> SourceUpdate {
        // Status first: every event of a task the status counts was published before it.
        let progress = handle.progress
        let raw = events.drain()
        eventTap?(raw)
        let drained = raw.map { event in
            ActivityEvent(ActivityEvent.Kind(event.kind), worker: Int(event.worker), task: Int(event.task),
                          time: event.time, startTime: event.startTime)
        }
        var failure: String?
        if progress.status == .failed { failure = handle.wait().failure.map { "block \($0.blockIndex): \($0.underlying)" } }
        if progress.status == .done && result == nil { result = describe(handle.wait().outputs) }
        return SourceUpdate(time: monotonicNanoseconds(), events: drained, state: RunState(progress.status),
                            failure: failure, bytesHeld: progress.statistics.bytesHeld,
                            peakBytesHeld: progress.statistics.peakBytesHeld, machine: sampleMachine(), result: result)
    }

    public func pause() { handle.pause() }
    public func resume() { handle.resume() }
    public func cancel() { handle.cancel() }

    /// Blocks until the run ends.
    public func wait() -> RunResult { handle.wait() }

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
        return MachineReading(
            cores: sample.cpu.cores.map { $0.map { CoreLoad(user: $0.user, system: $0.system + $0.steal) } },
            processCPU: sample.process.cpuPercent, residentBytes: sample.process.residentBytes,
            workerCPU: (0..<run.workerCount).map { sample.workers[$0] },
            memoryTotal: sample.memory.totalBytes, memoryAvailable: sample.memory.availableBytes)
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

extension RunState {
    init(_ status: RunStatus) {
        switch status {
        case .running: self = .running
        case .paused: self = .paused
        case .done: self = .done
        case .failed: self = .failed
        case .cancelled: self = .cancelled
        }
    }
}
