import ArrayFiles
import BlockArray
import BlocktopSupport
import ClusterSources
import Dashboard
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

    /// Runs it to its end (or until cancelled), writes `--output`, prints the report of the last
    /// run and writes its trace; returns the exit status.
    func run() throws -> ExitStatus {
        // The result comes back whole before it is written: it must fit in memory, --output or not.
        _ = try build(computation, blockSize: blockSize)
        let runner = ClusterRunner(options: options, traces: report.trace != nil)
        let settings = RunSettings(blockSize: blockSize, workers: 1)
        runner.announce(settings)
        let first: ClusterLauncher.StartedRun
        do {
            first = try runner.start(computation, settings)
        } catch let problem as LaunchProblem {
            throw problem.exit
        }
        let launcher = ClusterLauncher(first: first, start: runner.start)
        defer { launcher.runs.forEach { $0.launch.close() } }
        if let notice = first.launch.notice, !report.wantsDashboard { warn(notice) }
        var signalNumber: Int32 = 0
        if report.wantsDashboard {
            let (_, outcome) = try openDashboard(launcher, settings: settings, look: look)
            if case .signal(let number) = outcome { signalNumber = number }
        } else {
            signalNumber = runner.watchHeadless(first.source)
        }
        let last = launcher.runs.last!
        // A run left before its end (q, a signal) is cancelled: nothing of it stays on the cluster.
        runner.settle(last.source)
        let figures = runner.figures(of: last)
        let status = finish(last, figures: figures, signalled: signalNumber != 0)
        let traced = RunOutput(options: report).writeTrace(
            ChromeTrace.json(of: [runner.trace(of: last, name: "blocktop on \(last.launch.scheduler) (\(figures.outcome.rawValue))")]))
        if signalNumber != 0 { return .signal(signalNumber) }
        return traced ? status : .failure
    }

    /// Writes `--output` (not when `signalled`), prints the report; returns the run's exit
    /// status, 74 when the output or the report could not be written.
    private func finish(_ run: ClusterLauncher.StartedRun, figures measured: ClusterRunReport.Figures, signalled: Bool) -> ExitStatus {
        var figures = measured
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
}
