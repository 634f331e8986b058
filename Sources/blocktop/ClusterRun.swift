import ArrayFiles
import BlockArray
import BlocktopSupport
import ClusterSources
import Dashboard
import Expressions
import Foundation
import Reporting

/// `run --cluster`: the computation translated by the bridge and run on a Dask cluster, watched
/// like an attached cluster, its result read back and reported as a local run's is.
struct ClusterRun {
    let computation: Computation
    let program: Program
    let blockSize: Int?
    let options: ClusterOptions
    /// Where the result goes besides the report (`--output`), under its temporary name until the run is done.
    let output: (any ArrayWriter)?
    let report: ReportOptions
    let look: DashboardLookOptions

    /// Seconds a cancelled run waits for the bridge to say the cluster holds none of its tasks.
    static let cancelSeconds = 20.0

    /// Runs it to its end (or until cancelled), writes `--output`, prints the report; returns the exit status.
    func run() throws -> ExitStatus {
        var kept = false
        // Whatever ends the run early, the output's temporary file goes.
        defer { if !kept { output?.abandon() } }
        let target = options.target!
        let syntax: String
        do {
            syntax = try computation.syntaxJSON(blockSize: blockSize)
        } catch {
            throw CommandExit.badInput(error.description)
        }
        if case .local(let workers) = target, report.wantsDashboard || isatty(STDERR_FILENO) == 1 {
            warn("starting a local Dask cluster of \(workers) single-thread \(workers == 1 ? "worker" : "workers")")
        }
        let launch: ClusterLaunch
        do {
            launch = try ClusterLaunch(target: target, syntaxJSON: syntax, python: options.python,
                                       executable: CommandLine.arguments[0], tls: options.tls.files)
        } catch .badInput(let why) {
            throw CommandExit.badInput(why)
        } catch {
            throw CommandExit(.failure, "cannot run on the cluster \(options.cluster!): \(error)")
        }
        defer { launch.close() }
        let source = ClusterSource(feed: launch.bridge, title: "\(computation.title) · on \(launch.scheduler)", notice: launch.notice)
        if let notice = launch.notice, !report.wantsDashboard { warn(notice) }
        var signalNumber: Int32 = 0
        if report.wantsDashboard {
            let (_, outcome) = try openDashboard(AttachedCluster(source), settings: RunSettings(blockSize: blockSize, workers: 1), look: look)
            if case .signal(let number) = outcome { signalNumber = number }
        } else {
            signalNumber = watchHeadless(source)
        }
        // A run left before its end (q, a signal) is cancelled: nothing of it stays on the cluster.
        if source.state.ended == nil { settle(source) }
        kept = signalNumber == 0
        let status = finish(source, launch: launch, signalled: signalNumber != 0)
        return signalNumber != 0 ? .signal(signalNumber) : status
    }

    /// Polls until the run ends, a progress line on stderr when it is a terminal; SIGINT or
    /// SIGTERM cancel the run. Returns the signal's number, or 0.
    private func watchHeadless(_ source: ClusterSource) -> Int32 {
        catchInterruptions()
        let line = ProgressLine()
        let progress = isatty(STDERR_FILENO) == 1
        while source.state.ended == nil && interruption.load(ordering: .relaxed) == 0 {
            _ = source.poll()
            if progress {
                let done = source.state.tasks.count(where: \.done)
                FileHandle.standardError.write(Data(line.render(done: done, total: source.state.launch.tasks ?? 0,
                                                                seconds: source.tally.seconds).utf8))
            }
            usleep(100_000)
        }
        if progress { FileHandle.standardError.write(Data("\n".utf8)) }
        return interruption.load(ordering: .relaxed)
    }

    /// Cancels the run and waits until the bridge says it is gone from the cluster.
    private func settle(_ source: ClusterSource) {
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

    /// Reads the result back when the run is done and writes `--output` (or removes its temporary
    /// file), prints the report; returns the run's exit status, 74 when the output or the report
    /// could not be written.
    private func finish(_ source: ClusterSource, launch: ClusterLaunch, signalled: Bool) -> ExitStatus {
        _ = source.poll()
        let state = source.state
        var figures = ClusterRunReport.Figures(outcome: state.runState.outcomeWhenStopped, expression: computation.text,
                                               chunks: program.result.chunks, scheduler: launch.scheduler)
        if case .local(let workers)? = options.target { figures.localWorkers = workers }
        let tally = source.tally
        figures.workers = tally.peakWorkers
        figures.threads = tally.peakThreads
        figures.wallSeconds = tally.seconds
        figures.cpuPercent = tally.cpuPercent
        figures.parallelEfficiency = tally.parallelEfficiency
        figures.tasks = state.launch.tasks ?? state.tasks.count
        figures.tasksDone = state.tasks.count(where: \.done)
        figures.peakMemoryBytes = tally.peakMemoryBytes
        figures.failure = state.launch.failure ?? (figures.outcome == .failed ? state.ended : nil)
        if figures.outcome == .done {
            do {
                figures.value = try readResult(launch.resultPath)
            } catch {
                figures.outcome = .failed
                figures.failure = "cannot read the result back: \(error)"
            }
        }
        var outputStatus: ExitStatus?
        if let output {
            figures.output = FileNote(path: output.path, dtype: output.elementType, order: "C", shape: output.shape)
            if let value = figures.value, !signalled {
                outputStatus = write(value, to: output)
                figures.outputWritten = outputStatus == nil
            } else {
                output.abandon()
            }
        }
        let report = ClusterRunReport(figures)
        guard emit(self.report.json ? report.json.serialized() : report.text) else { return .reportUnwritten }
        return outputStatus ?? ExitStatus(figures.outcome)
    }

    /// Writes `value` to `output` in its blocks and puts the file in place; says why and returns 74 when it cannot.
    private func write(_ value: DenseArray, to output: any ArrayWriter) -> ExitStatus? {
        do {
            let chunks = try output.requiredChunks.map { try Chunks(shape: value.shape, spec: .perAxis($0)) } ?? program.result.chunks
            for index in chunks.blockIndices {
                let offset = chunks.blockOffset(index)
                try output.write(value.sliced(start: offset, step: offset.map { _ in 1 }, count: chunks.blockShape(index)), at: offset)
            }
            try output.commit()
            return nil
        } catch {
            output.abandon()
            warn("error: cannot write the output: \("\(error)".escapingTerminalControls)")
            return .reportUnwritten
        }
    }

    /// The result the bridge wrote, checked against the shape blocktop's own program gives.
    private func readResult(_ path: String) throws -> DenseArray {
        let reader = try ArrayFormat.npy.reader(path: path)
        guard reader.shape == program.result.shape else {
            throw ResultMismatch(description: "the cluster's result has shape \(reader.shape), the expression's \(program.result.shape)")
        }
        var storage = [Double](repeating: 0, count: reader.shape.reduce(1, *))
        try storage.withUnsafeMutableBufferPointer { buffer throws(ArrayFileError) in
            try reader.readBlock(offset: reader.shape.map { _ in 0 }, shape: reader.shape, into: buffer)
        }
        return try DenseArray(shape: reader.shape, storage: storage)
    }
}

/// A result from the cluster that is not the array the expression makes.
private struct ResultMismatch: Error, CustomStringConvertible {
    let description: String
}
