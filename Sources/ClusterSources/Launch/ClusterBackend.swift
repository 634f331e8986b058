import ArrayFiles
import BlockArray
import BlocktopSupport
import DashboardModel
import Expressions
import Foundation
import Reporting
import Runs
import RunVocabulary

/// A Dask cluster as a backend (`--cluster`): each run a launch of the bridge, which translates
/// the program's syntax tree, submits it and reports like an attached cluster; the result comes
/// back for the report and `--output`.
package final class ClusterBackend: RunBackend {
    /// Where runs go: a scheduler, or a `local:N` cluster started for each run.
    package let target: ClusterTarget
    /// Whether a run's worker count starts a `local:N` cluster of that many workers (`scale`);
    /// else every run goes to `target`.
    package let scalesWorkers: Bool
    private let python: String?
    private let tls: TLSFiles
    /// blocktop's own path, near which the bridge's package is found.
    private let executable: String
    private let output: OutputRequest?
    /// Whether each run keeps its tasks' spans for a trace.
    private let traces: Bool

    package init(target: ClusterTarget, scalesWorkers: Bool = false, python: String?, tls: TLSFiles, executable: String,
                output: OutputRequest? = nil, traces: Bool = false) {
        self.target = target
        self.scalesWorkers = scalesWorkers
        self.python = python
        self.tls = tls
        self.executable = executable
        self.output = output
        self.traces = traces
    }

    /// Where a run with `settings` goes.
    package func target(_ settings: RunSettings) -> ClusterTarget {
        scalesWorkers ? .local(workers: settings.workers) : target
    }

    package func place(of settings: RunSettings) -> String { target(settings).description }

    package func announcement(for settings: RunSettings) -> String? {
        guard case .local(let workers) = target(settings) else { return nil }
        return "starting a local Dask cluster of \(workers) single-thread \(workers == 1 ? "worker" : "workers")"
    }

    /// Builds the program here (an `ExpressionProblem` when it does not build), launches the
    /// bridge and waits until the graph is submitted (a `RunProblem`: bad input, or the cluster).
    package func prepare(_ computation: Computation, _ settings: RunSettings) throws -> PreparedSession {
        let program: Program
        let syntax: String
        do throws(ExpressionError) {
            program = try computation.program(blockSize: settings.blockSize)
            syntax = try computation.syntaxJSON(blockSize: settings.blockSize)
        } catch {
            throw ExpressionProblem(message: error.message, range: error.range, description: error.description)
        }
        let target = target(settings)
        let launch: ClusterLaunch
        do {
            launch = try ClusterLaunch(target: target, syntaxJSON: syntax, python: python, executable: executable, tls: tls)
        } catch .badInput(let why) {
            throw RunProblem(why, badInput: true)
        } catch {
            throw RunProblem("cannot run on the cluster \(target): \(error)", badInput: false)
        }
        let chunks = program.mainArray.chunks
        let array = ClusterSource.LaunchedArray(shape: chunks.shape, blockShape: chunks.sizes.map { $0.max() ?? 0 },
                                                blockCount: chunks.blockCount)
        let source = ClusterSource(feed: launch.bridge, title: "\(computation.title) · on \(launch.scheduler)",
                                   notice: launch.notice, array: array)
        source.recordsTasks = traces
        let session = ClusterRunSession(computation: computation, settings: settings, program: program, launch: launch, source: source,
                                        localWorkers: target.startedWorkers, output: output)
        return PreparedSession { session }
    }
}

extension ClusterTarget {
    /// N for a `local:N` cluster blocktop starts, nil for one that is there.
    var startedWorkers: Int? {
        if case .local(let workers) = self { workers } else { nil }
    }
}
