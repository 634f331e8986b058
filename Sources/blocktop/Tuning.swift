import ArgumentParser
import BlockArray
import BlocktopSupport
import Dashboard
import DashboardModel
import Engine
import Foundation
import Reporting
import Runs
import RunVocabulary
import Tuning

/// `blocktop sweep`: the same computation at several block sizes, each run several times, compared.
struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a computation at several block sizes, each several times, and compare time, GFLOP/s, tasks, overhead and memory.",
        discussion: """
            One warm-up run, then --repeat rounds that run every block size once, every other round in reverse \
            order; each size shows the median and min–max of its runs. A size is named best only when its \
            slowest run beat every other size's fastest; otherwise the sizes whose ranges overlap tie. Random \
            arrays do not depend on the chunking, so every run computes the same numbers; the sweep checks that they agree. \
            With --cluster every run is launched on that Dask cluster (see `blocktop run --help`).
            """)

    @OptionGroup var computation: ComputationOptions

    @Option(help: "Block sizes, comma-separated, each set for every creation call, overriding their chunks= (default: ¼, ½, 1 and 2 times the computation's own block size).")
    var chunks: String?

    @Option(parsing: .unconditional, help: "Worker threads (default: the CPUs this process may use).")
    var workers: Int?

    @OptionGroup var repetition: RepeatOptions
    @OptionGroup var look: DashboardLookOptions
    @OptionGroup var report: ReportOptions
    @OptionGroup var cluster: ClusterOptions

    func validate() throws {
        _ = try sizes(default: 1_000)
        if let workers { try checkWorkers(workers) }
        if cluster.cluster != nil {
            if workers != nil { throw ValidationError("--workers sets blocktop's own threads; with --cluster the cluster's workers compute") }
            if report.trace != nil { throw ValidationError("--trace of a series records blocktop's own tasks: not with --cluster (run --cluster writes one)") }
        }
    }

    private func sizes(default base: Int) throws -> [Int] {
        guard let chunks else { return [base / 4, base / 2, base, base * 2].filter { $0 > 0 } }
        return try parseList(chunks, option: "--chunks")
    }

    func run() throws {
        let chosen = computation.computation()
        let sizes = try sizes(default: ownBlockSize(of: chosen))
        let programs = try sizes.map { try build(chosen, blockSize: $0) }
        var count = 1
        if cluster.target == nil {
            count = workers ?? Engine.defaultWorkerCount
            warnIfOversubscribed(count)
            if let first = programs.first { try checkRoomForBLAS(first.result, workers: count) }
        }
        let plan = TuningPlan(kind: .blockSizes, settings: sizes.map { RunSettings(blockSize: $0, workers: count) }, repeats: repetition.repeats)
        let series = TuningSeries(backend: cluster.backend(), computation: chosen, plan: plan)
        throw CommandExit(try runSeries(series, look: look, report: report))
    }
}

/// `blocktop scale`: the same computation with 1, 2, … workers, each run several times, against the ideal speedup.
struct Scale: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a computation with 1, 2, … N workers, each several times, and show speedup and parallel efficiency.",
        discussion: """
            One warm-up run, then --repeat rounds that run every worker count once, every other round in reverse \
            order; speedups compare the medians. A worker count is named best only when its slowest run beat \
            every other count's fastest; otherwise the counts whose ranges overlap tie. \
            With --cluster local:N each worker count (1 to N by default) runs on a local Dask cluster of that many \
            single-thread worker processes, started for the run.
            """)

    @OptionGroup var computation: ComputationOptions

    @Option(parsing: .unconditional, help: "Block size along each axis of every creation call, overriding their chunks=.")
    var chunks: Int?

    @Option(help: "Worker counts, comma-separated (default: 1 to the CPUs this process may use).")
    var workersList: String?

    @OptionGroup var repetition: RepeatOptions
    @OptionGroup var look: DashboardLookOptions
    @OptionGroup var report: ReportOptions
    @OptionGroup var cluster: ClusterOptions

    func validate() throws {
        if let workersList { try parseList(workersList, option: "--workers-list").forEach { try checkWorkers($0, option: "--workers-list") } }
        if let chunks { try checkBlockSize(chunks) }
        guard let target = cluster.target else { return }
        guard case .local(let most) = target else {
            throw ValidationError("scale --cluster needs local:N: blocktop starts a local cluster of each worker count, and cannot change the workers of a running cluster")
        }
        if report.trace != nil { throw ValidationError("--trace of a series records blocktop's own tasks: not with --cluster (run --cluster writes one)") }
        if let workersList, let over = try parseList(workersList, option: "--workers-list").first(where: { $0 > most }) {
            throw ValidationError("--workers-list: \(over) workers is more than --cluster local:\(most) allows")
        }
    }

    func run() throws {
        let chosen = computation.computation()
        let result = try build(chosen, blockSize: chunks).result
        let counts: [Int]
        if case .local(let most)? = cluster.target {
            counts = try workersList.map { try parseList($0, option: "--workers-list") } ?? Array(1...most)
        } else {
            counts = try workersList.map { try parseList($0, option: "--workers-list") } ?? Array(1...Engine.defaultWorkerCount)
            warnIfOversubscribed(counts.max() ?? 1)
            try checkRoomForBLAS(result, workers: counts.max() ?? 1)
        }
        let plan = TuningPlan(kind: .workers, settings: counts.map { RunSettings(blockSize: chunks, workers: $0) }, repeats: repetition.repeats)
        let series = TuningSeries(backend: cluster.backend(scalesWorkers: true), computation: chosen, plan: plan)
        throw CommandExit(try runSeries(series, look: look, report: report))
    }
}

/// Makes `series`' runs, headless or in the dashboard, and prints their table; returns the exit
/// status (128 + n when signal n cut the series short; its table is still printed headless).
private func runSeries(_ series: TuningSeries, look: DashboardLookOptions, report: ReportOptions) throws -> ExitStatus {
    let plan = series.plan
    let output = RunOutput(json: report.json, trace: report.trace)
    guard report.wantsDashboard else {
        catchInterruptions()
        let made: TuningSeries.Made
        do {
            made = try series.runHeadless(progress: isatty(STDERR_FILENO) == 1, say: warn) { interruption.load(ordering: .relaxed) }
        } catch let problem as RunProblem {
            throw CommandExit(problem.status, problem.description)
        }
        let status = output.finish(series: made.rows, traces: made.traces, kind: plan.kind, planned: plan.steps.count)
        return made.signal != 0 ? .signal(made.signal) : status
    }
    let launcher = SessionLauncher(backend: series.backend, computation: series.computation)
    try startFirst(launcher, plan.steps[0].settings)
    let (app, outcome) = try showDashboard(launcher, settings: plan.steps[0].settings, look: look, plan: plan)
    if case .signal = outcome {
        launcher.runs.forEach { $0.discard() }
        return outcome.exitStatus
    }
    let made = series.rows(of: launcher, ended: app.tuning?.results.count ?? 0)
    return output.finish(series: made.rows, traces: made.traces, kind: plan.kind, planned: plan.steps.count)
}

/// The block size the computation's text gives its largest created array (its `chunks=`, else the
/// default): what a sweep's default sizes are around.
private func ownBlockSize(of computation: Computation) throws -> Int {
    let sizes = try build(computation, blockSize: nil).mainArray.chunks.sizes
    return sizes.first?.first ?? computation.defaultBlockSize
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
