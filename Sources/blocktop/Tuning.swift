import ArgumentParser
import BlockArray
import Dashboard
import Engine
import Expressions
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

    @OptionGroup var display: TuningDisplayOptions

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
        if display.wantsDashboard {
            let count = workers ?? Engine.defaultWorkerCount
            let sizes = try sizes(default: chosen.defaultBlockSize)
            for size in sizes { _ = try build(chosen, blockSize: size) }
            let plan = TuningPlan(kind: .blockSizes, runs: sizes.map { RunSettings(blockSize: $0, workers: count) })
            try display.runDashboard(chosen, plan: plan)
        }
        let engine = Engine(workers: workers)
        var rows: [TuningRow] = []
        for size in try sizes(default: chosen.defaultBlockSize) {
            let program = try build(chosen, blockSize: size)
            warn("block size \(size): \(program.result.graph().count) tasks")
            rows.append(TuningRow.measure(setting: size, graph: program.result.graph(), on: engine, progress: isatty(STDERR_FILENO) == 1))
        }
        guard emit(display.json ? TuningReport.json(rows, kind: "sweep").serialized() : TuningReport.sweepTable(rows)) else {
            throw ExitCode(reportUnwritten)
        }
        if !TuningReport.resultsAgree(rows) { throw ExitCode.failure }
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

    @OptionGroup var display: TuningDisplayOptions

    func validate() throws {
        if let workersList { try parseList(workersList, option: "--workers-list").forEach { try checkWorkers($0, option: "--workers-list") } }
        if let chunks, chunks < 1 { throw ValidationError("--chunks must be ≥ 1, got \(chunks)") }
    }

    func run() throws {
        let chosen = computation.computation()
        let program = try build(chosen, blockSize: chunks)
        let graph = program.result.graph()
        let counts = try workersList.map { try parseList($0, option: "--workers-list") } ?? Array(1...Engine.defaultWorkerCount)
        if display.wantsDashboard {
            let plan = TuningPlan(kind: .workers, runs: counts.map { RunSettings(blockSize: chunks ?? chosen.defaultBlockSize, workers: $0) })
            try display.runDashboard(chosen, plan: plan)
        }
        let rows = counts.map { count in
            warn("\(count) worker\(count == 1 ? "" : "s")")
            return TuningRow.measure(setting: count, graph: graph, on: Engine(workers: count), progress: isatty(STDERR_FILENO) == 1)
        }
        guard emit(display.json ? TuningReport.json(rows, kind: "scale").serialized() : TuningReport.scaleTable(rows)) else {
            throw ExitCode(reportUnwritten)
        }
        if !TuningReport.resultsAgree(rows) { throw ExitCode.failure }
    }
}

/// Positive whole numbers from "a,b,c", or a validation error naming the option and the bad item.
func parseList(_ text: String, option: String) throws -> [Int] {
    let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    return try items.map { item in
        guard let value = Int(item), value > 0 else {
            throw ValidationError("\(option): '\(item)' is not a positive whole number (in '\(text)')")
        }
        return value
    }
}

/// How `sweep` and `scale` show their runs: in the dashboard on a terminal, else headless.
struct TuningDisplayOptions: ParsableArguments {
    @Flag(help: "No dashboard: progress on stderr and the table on stdout.")
    var headless = false

    @Flag(help: "Print the runs as one JSON object instead of a table.")
    var json = false

    @Option(parsing: .unconditional, help: "Dashboard refreshes per second.")
    var refresh = 10.0

    @Option(help: "Colour: never, auto (follows the terminal and NO_COLOR) or always.")
    var color: ColorChoice = .auto

    @Option(help: "Theme name or .theme file (t cycles through them in the dashboard).")
    var theme = "default"

    func validate() throws {
        guard refresh > 0, refresh <= 100 else { throw ValidationError("--refresh must be in (0, 100], got \(refresh)") }
        try checkTheme(theme, themesDirectory: nil)
    }

    var wantsDashboard: Bool { !headless && isatty(STDOUT_FILENO) == 1 }

    /// Runs `plan` in the dashboard, one run after another; after q, prints the table of the runs
    /// that ended and exits (0 when all were done and agree, 1 when one failed or they differ,
    /// 3 when some were cancelled or not made, 128 + n on signal n).
    func runDashboard(_ chosen: Computation, plan: TuningPlan) throws -> Never {
        let launcher = ExpressionLauncher(computation: chosen)
        let look = DashboardLook(refresh: refresh, color: color, theme: theme, themesDirectory: nil)
        let (app, outcome) = showDashboard(launcher, settings: plan.runs[0], look: look) { $0.plan = plan }
        if case .signal = outcome { Foundation.exit(outcome.exitStatus) }
        let rows = launcher.history.prefix(app.tuning?.results.count ?? 0).map { run in
            let result = run.source.wait()
            _ = run.source.poll()  // hands the last events to the recorder
            return TuningRow(setting: plan.setting(of: run.settings), recorder: run.recorder, summary: run.recorder.finish(result))
        }
        let kind = plan.kind == .blockSizes ? "sweep" : "scale"
        guard emit(json ? TuningReport.json(rows, kind: kind).serialized()
                        : kind == "sweep" ? TuningReport.sweepTable(rows) : TuningReport.scaleTable(rows)) else {
            Foundation.exit(reportUnwritten)
        }
        let statuses = rows.map(\.summary.result.status)
        let status: Int32 = !TuningReport.resultsAgree(rows) || statuses.contains(.failed) ? 1
            : rows.count < plan.runs.count || statuses.contains { $0 != .done } ? 3 : 0
        Foundation.exit(status)
    }
}
