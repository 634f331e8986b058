import ArgumentParser
import BlockArray
import BlocktopSupport
import Dashboard
import Engine
import Foundation
import Reporting

/// `blocktop sweep`: the same computation once per block size, compared.
struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a computation once per block size and compare time, GFLOP/s, tasks, overhead and memory.",
        discussion: "Random arrays do not depend on the chunking, so every run computes the same numbers; the sweep checks that they agree.")

    @OptionGroup var computation: ComputationOptions

    @Option(help: "Block sizes, comma-separated (default: ¼, ½, 1 and 2 times the computation's default).")
    var chunks: String?

    @Option(parsing: .unconditional, help: "Worker threads (default: the CPUs this process may use).")
    var workers: Int?

    @OptionGroup var look: DashboardLookOptions
    @OptionGroup var report: ReportOptions

    func validate() throws {
        _ = try sizes(default: 1_000)
        if let workers { try checkWorkers(workers) }
    }

    private func sizes(default base: Int) throws -> [Int] {
        guard let chunks else { return [base / 4, base / 2, base, base * 2].filter { $0 > 0 } }
        return try parseList(chunks, option: "--chunks")
    }

    func run() throws {
        let chosen = computation.computation()
        let sizes = try sizes(default: chosen.defaultBlockSize)
        let programs = try sizes.map { try build(chosen, blockSize: $0) }
        let count = workers ?? Engine.defaultWorkerCount
        warnIfOversubscribed(count)
        let series = TuningSeries(computation: chosen, kind: .blockSizes,
                                  runs: sizes.map { RunSettings(blockSize: $0, workers: count) })
        guard report.wantsDashboard else {
            let engine = Engine(workers: count)
            throw CommandExit(series.runHeadless(report: report) { index in
                warn("block size \(sizes[index]): \(programs[index].result.graph().count) tasks")
                return (programs[index].result.graph(), engine)
            })
        }
        throw CommandExit(try series.runInDashboard(look: look, report: report))
    }
}

/// `blocktop scale`: the same computation with 1, 2, … workers, against the ideal speedup.
struct Scale: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a computation with 1, 2, … N workers and show speedup and parallel efficiency.")

    @OptionGroup var computation: ComputationOptions

    @Option(parsing: .unconditional, help: "Block size along each axis for creation calls that give no chunks=.")
    var chunks: Int?

    @Option(help: "Worker counts, comma-separated (default: 1 to the CPUs this process may use).")
    var workersList: String?

    @OptionGroup var look: DashboardLookOptions
    @OptionGroup var report: ReportOptions

    func validate() throws {
        if let workersList { try parseList(workersList, option: "--workers-list").forEach { try checkWorkers($0, option: "--workers-list") } }
        if let chunks { try checkBlockSize(chunks) }
    }

    func run() throws {
        let chosen = computation.computation()
        let graph = try build(chosen, blockSize: chunks).result.graph()
        let counts = try workersList.map { try parseList($0, option: "--workers-list") } ?? Array(1...Engine.defaultWorkerCount)
        warnIfOversubscribed(counts.max() ?? 1)
        let series = TuningSeries(computation: chosen, kind: .workers,
                                  runs: counts.map { RunSettings(blockSize: chunks ?? chosen.defaultBlockSize, workers: $0) })
        guard report.wantsDashboard else {
            throw CommandExit(series.runHeadless(report: report) { index in
                warn("\(counts[index]) worker\(counts[index] == 1 ? "" : "s")")
                return (graph, Engine(workers: counts[index]))
            })
        }
        throw CommandExit(try series.runInDashboard(look: look, report: report))
    }
}

/// The runs of a sweep or a scaling series, made headless or in the dashboard, then tabled.
struct TuningSeries {
    let computation: Computation
    let kind: TuningKind
    let runs: [RunSettings]

    /// Makes each run without a screen (`prepare` gives run i's graph and engine) and prints the table.
    func runHeadless(report: ReportOptions, prepare: (Int) -> (TaskGraph, Engine)) -> ExitStatus {
        let plan = TuningPlan(kind: kind, runs: runs)
        let rows = runs.indices.map { index in
            let (graph, engine) = prepare(index)
            return TuningRow.measure(setting: plan.setting(of: runs[index]), graph: graph, on: engine,
                                     progress: isatty(STDERR_FILENO) == 1)
        }
        return RunOutput(options: report).finish(series: rows, kind: kind, planned: runs.count)
    }

    /// Makes the runs one after another in the dashboard; after q, prints the table of the runs
    /// that ended (128 + n on signal n).
    func runInDashboard(look: DashboardLookOptions, report: ReportOptions) throws -> ExitStatus {
        let plan = TuningPlan(kind: kind, runs: runs)
        let launcher = ExpressionLauncher(computation: computation)
        let (app, outcome) = try showDashboard(launcher, settings: runs[0], look: look, keepOpen: look.keepOpen, plan: plan)
        if case .signal = outcome { return outcome.exitStatus }
        let rows = launcher.runs.prefix(app.tuning?.results.count ?? 0).map { run in
            TuningRow(setting: plan.setting(of: run.settings), recorder: run.source.recorder, summary: run.source.finish())
        }
        return RunOutput(options: report).finish(series: rows, kind: kind, planned: runs.count)
    }
}

/// Distinct positive whole numbers from "a,b,c", or a validation error naming the option and the bad item.
func parseList(_ text: String, option: String) throws -> [Int] {
    let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    var values: [Int] = []
    for item in items {
        guard let value = Int(item), value > 0 else {
            throw ValidationError("\(option): '\(item)' is not a positive whole number (in '\(text)')")
        }
        guard !values.contains(value) else { throw ValidationError("\(option): \(value) is given twice (in '\(text)')") }
        values.append(value)
    }
    return values
}
