import ArrayFiles
import BlockArray
import BlocktopSupport
import ClusterSources
import Dashboard
import Expressions
import Foundation
import Reporting

/// How `run`, `sweep` and `scale` launch runs on a Dask cluster (`--cluster`): each a launch of
/// the bridge, watched through a `ClusterSource`, measured into a cluster report's figures.
struct ClusterRunner {
    let options: ClusterOptions
    /// Whether the runs' worker counts start a `local:N` cluster of that many workers (`scale`);
    /// else every run goes to `--cluster`.
    var scalesWorkers = false
    /// Whether each run keeps its tasks' spans for a trace.
    var traces = false

    /// Seconds a cancelled run waits for the bridge to say the cluster holds none of its tasks.
    static let cancelSeconds = 20.0

    /// Where a run with `settings` goes.
    func target(_ settings: RunSettings) -> ClusterTarget {
        scalesWorkers ? .local(workers: settings.workers) : options.target!
    }

    /// Launches `chosen` with `settings`; throws a `LaunchProblem` (bad input or the cluster), or
    /// an `ExpressionProblem` when the expression does not build.
    func start(_ chosen: Computation, _ settings: RunSettings) throws -> ClusterLauncher.StartedRun {
        let program: Program
        let syntax: String
        do throws(ExpressionError) {
            program = try chosen.program(blockSize: settings.blockSize)
            syntax = try chosen.syntaxJSON(blockSize: settings.blockSize)
        } catch {
            throw ExpressionProblem(message: error.message, range: error.range, description: error.description)
        }
        let target = target(settings)
        let launch: ClusterLaunch
        do {
            launch = try ClusterLaunch(target: target, syntaxJSON: syntax, python: options.python,
                                       executable: CommandLine.arguments[0], tls: options.tls.files)
        } catch .badInput(let why) {
            throw LaunchProblem(description: why, badInput: true)
        } catch {
            throw LaunchProblem(description: "cannot run on the cluster \(options.cluster!): \(error)", badInput: false)
        }
        let chunks = program.mainArray.chunks
        let array = ClusterSource.LaunchedArray(shape: chunks.shape, blockShape: chunks.sizes.map { $0.max() ?? 0 }, blockCount: chunks.blockCount)
        let source = ClusterSource(feed: launch.bridge, title: "\(chosen.title) · on \(launch.scheduler)", notice: launch.notice, array: array)
        source.recordsTasks = traces
        return .init(computation: chosen, settings: settings, program: program, launch: launch, source: source)
    }

    /// Says on stderr, when it is a terminal, that a run with `settings` starts a local cluster
    /// (it takes a second or two); never while the dashboard is open.
    func announce(_ settings: RunSettings) {
        guard case .local(let workers) = target(settings), isatty(STDERR_FILENO) == 1 else { return }
        warn("starting a local Dask cluster of \(workers) single-thread \(workers == 1 ? "worker" : "workers")")
    }

    /// Polls until the run ends, a progress line on stderr when it is a terminal; SIGINT or
    /// SIGTERM cancel the run. Returns the signal's number, or 0.
    func watchHeadless(_ source: ClusterSource) -> Int32 {
        catchInterruptions()
        let line = ProgressLine()
        let progress = isatty(STDERR_FILENO) == 1
        // Polled every 20 ms, so that the end is seen at once; the progress line is redrawn every 0.1 s.
        var polls = 0
        while source.state.ended == nil && interruption.load(ordering: .relaxed) == 0 {
            _ = source.poll()
            if progress && polls % 5 == 0 {
                let done = source.state.tasks.count(where: \.done)
                FileHandle.standardError.write(Data(line.render(done: done, total: source.state.launch.tasks ?? 0,
                                                                seconds: source.tally.seconds).utf8))
            }
            polls += 1
            usleep(20_000)
        }
        if progress { FileHandle.standardError.write(Data("\n".utf8)) }
        return interruption.load(ordering: .relaxed)
    }

    /// Cancels a run that has not ended and waits until the bridge says it is gone from the cluster.
    func settle(_ source: ClusterSource) {
        guard source.state.ended == nil else { return }
        source.cancel()
        let deadline = monotonicNanoseconds() + UInt64(Self.cancelSeconds * 1e9)
        while source.state.ended == nil && monotonicNanoseconds() < deadline {
            _ = source.poll()
            usleep(50_000)
        }
        if let remaining = source.state.launch.cancelledRemaining, remaining > 0 {
            warn("the cluster still held \(remaining) tasks of the cancelled run when blocktop stopped waiting")
        }
    }

    /// What `run` measured, with its result read back when it is done.
    func figures(of run: ClusterLauncher.StartedRun) -> ClusterRunReport.Figures {
        let source = run.source
        _ = source.poll()
        let state = source.state
        var figures = ClusterRunReport.Figures(outcome: state.runState.outcomeWhenStopped, expression: run.computation.text,
                                               chunks: run.program.result.chunks, scheduler: run.launch.scheduler)
        if case .local(let workers) = target(run.settings) { figures.localWorkers = workers }
        let tally = source.tally
        figures.workers = tally.peakWorkers
        figures.threads = tally.peakThreads
        // The bridge times a finished run from submitting to gathering the result, as a client would;
        // blocktop's polls, 0.1 s apart, time the others.
        figures.wallSeconds = state.launch.seconds ?? tally.seconds
        figures.cpuPercent = tally.cpuPercent
        figures.parallelEfficiency = tally.parallelEfficiency
        figures.tasks = state.launch.tasks ?? state.tasks.count
        figures.tasksDone = state.tasks.count(where: \.done)
        figures.peakMemoryBytes = tally.peakMemoryBytes
        figures.failure = state.launch.failure ?? (figures.outcome == .failed ? state.ended : nil)
        if figures.outcome == .done {
            do {
                figures.value = try readResult(run.launch.resultPath, expecting: run.program.result.shape)
            } catch {
                figures.outcome = .failed
                figures.failure = "cannot read the result back: \(error)"
            }
        }
        return figures
    }

    /// `run`'s tasks as a trace's process called `name`: a lane per worker thread (and one for
    /// tasks whose worker the cluster did not say), a span per task that finished or failed.
    func trace(of run: ClusterLauncher.StartedRun, name: String) -> ChromeTrace.ClusterRun {
        let state = run.source.state
        var laneNames = Array(repeating: "", count: state.laneCount)
        for worker in state.workers {
            let address = worker.reading.address.split(separator: "://").last.map(String.init) ?? worker.reading.address
            for (thread, lane) in worker.lanes.enumerated() { laneNames[lane] = "\(address) thread \(thread)" }
        }
        let unplaced = laneNames.count
        let spans = run.source.endedTasks.map { event in
            let task = state.tasks[event.task]
            return ChromeTrace.Span(operation: task.prefix, key: task.key, block: task.index, lane: event.worker >= 0 ? event.worker : unplaced,
                                    start: event.startTime, end: event.time, failed: event.kind == .failed)
        }
        if spans.contains(where: { $0.lane == unplaced }) { laneNames.append("worker not known") }
        return ChromeTrace.ClusterRun(name: name, laneNames: laneNames, spans: spans)
    }

    /// The result the bridge wrote, checked against the shape blocktop's own program gives.
    private func readResult(_ path: String, expecting shape: [Int]) throws -> DenseArray {
        let reader = try ArrayFormat.npy.reader(path: path)
        guard reader.shape == shape else {
            throw ResultMismatch(description: "the cluster's result has shape \(reader.shape), the expression's \(shape)")
        }
        var storage = [Double](repeating: 0, count: reader.shape.reduce(1, *))
        try storage.withUnsafeMutableBufferPointer { buffer throws(ArrayFileError) in
            try reader.readBlock(offset: reader.shape.map { _ in 0 }, shape: reader.shape, into: buffer)
        }
        return try DenseArray(shape: reader.shape, storage: storage)
    }
}

/// Why a run could not be launched: bad input (the expression, the Python) or the cluster.
struct LaunchProblem: Error, CustomStringConvertible {
    let description: String
    let badInput: Bool

    /// The command's exit for it: 64 for bad input, else 1.
    var exit: CommandExit { badInput ? CommandExit.badInput(description) : CommandExit(.failure, description) }
}

/// A result from the cluster that is not the array the expression makes.
private struct ResultMismatch: Error, CustomStringConvertible {
    let description: String
}
