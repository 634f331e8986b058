import ArrayFiles
import BlockArray
import BlocktopSupport
import ClusterSources
import Dashboard
import Expressions
import Foundation
import Reporting

/// `run --cluster`: the computation translated by the bridge and run on a Dask cluster, watched
/// like an attached cluster, its result read back and reported as a local run's is. In the
/// dashboard, the keys that start runs (r, [ ], :) launch new ones on the same cluster.
struct ClusterRun {
    let computation: Computation
    let blockSize: Int?
    let options: ClusterOptions
    let arrayOutput: ArrayOutputOptions
    let report: ReportOptions
    let look: DashboardLookOptions

    /// Seconds a cancelled run waits for the bridge to say the cluster holds none of its tasks.
    static let cancelSeconds = 20.0

    /// Runs it to its end (or until cancelled), writes `--output`, prints the report of the last
    /// run; returns the exit status.
    func run() throws -> ExitStatus {
        // The result comes back whole before it is written: it must fit in memory, --output or not.
        let program = try build(computation, blockSize: blockSize)
        let first: ClusterLauncher.StartedRun
        do {
            first = try start(computation, program: program, blockSize: blockSize)
        } catch let problem as LaunchProblem {
            throw problem.badInput ? CommandExit.badInput(problem.description) : CommandExit(.failure, problem.description)
        }
        let launcher = ClusterLauncher(first: first) { [self] chosen, blockSize in
            let program: Program
            do throws(ExpressionError) {
                program = try chosen.program(blockSize: blockSize)
            } catch {
                throw ExpressionProblem(message: error.message, range: error.range, description: error.description)
            }
            return try start(chosen, program: program, blockSize: blockSize)
        }
        defer { launcher.runs.forEach { $0.launch.close() } }
        if let notice = first.launch.notice, !report.wantsDashboard { warn(notice) }
        var signalNumber: Int32 = 0
        if report.wantsDashboard {
            let (_, outcome) = try openDashboard(launcher, settings: RunSettings(blockSize: blockSize, workers: 1), look: look)
            if case .signal(let number) = outcome { signalNumber = number }
        } else {
            signalNumber = watchHeadless(first.source)
        }
        let last = launcher.runs.last!
        // A run left before its end (q, a signal) is cancelled: nothing of it stays on the cluster.
        if last.source.state.ended == nil { settle(last.source) }
        let status = finish(last, signalled: signalNumber != 0)
        return signalNumber != 0 ? .signal(signalNumber) : status
    }

    /// Launches `program` (`chosen` built with `blockSize`) on the cluster; throws a `LaunchProblem`.
    private func start(_ chosen: Computation, program: Program, blockSize: Int?) throws -> ClusterLauncher.StartedRun {
        let target = options.target!
        let syntax: String
        do {
            syntax = try chosen.syntaxJSON(blockSize: blockSize)
        } catch {
            throw LaunchProblem(description: error.description, badInput: true)
        }
        if case .local(let workers) = target, !report.wantsDashboard && isatty(STDERR_FILENO) == 1 {
            warn("starting a local Dask cluster of \(workers) single-thread \(workers == 1 ? "worker" : "workers")")
        }
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
        return .init(computation: chosen, program: program, launch: launch, source: source)
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

    /// Reads the result back when the run is done and writes `--output` (not when `signalled`),
    /// prints the report; returns the run's exit status, 74 when the output or the report could
    /// not be written.
    private func finish(_ run: ClusterLauncher.StartedRun, signalled: Bool) -> ExitStatus {
        let source = run.source
        _ = source.poll()
        let state = source.state
        var figures = ClusterRunReport.Figures(outcome: state.runState.outcomeWhenStopped, expression: run.computation.text,
                                               chunks: run.program.result.chunks, scheduler: run.launch.scheduler)
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
                figures.value = try readResult(run.launch.resultPath, expecting: run.program.result.shape)
            } catch {
                figures.outcome = .failed
                figures.failure = "cannot read the result back: \(error)"
            }
        }
        var outputStatus: ExitStatus?
        if let path = arrayOutput.output {
            let output: any ArrayWriter
            do {
                output = try ArrayOutput.makeWriter(run.program, path: path, options: arrayOutput)
            } catch {
                warn("error: \(error)")
                return .badInput
            }
            figures.output = FileNote(path: output.path, dtype: output.elementType, order: "C", shape: output.shape)
            if let value = figures.value, !signalled {
                outputStatus = write(value, to: output, chunks: run.program.result.chunks)
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
    private func write(_ value: DenseArray, to output: any ArrayWriter, chunks resultChunks: Chunks) -> ExitStatus? {
        do {
            let chunks = try output.requiredChunks.map { try Chunks(shape: value.shape, spec: .perAxis($0)) } ?? resultChunks
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
private struct LaunchProblem: Error, CustomStringConvertible {
    let description: String
    let badInput: Bool
}

/// A result from the cluster that is not the array the expression makes.
private struct ResultMismatch: Error, CustomStringConvertible {
    let description: String
}
