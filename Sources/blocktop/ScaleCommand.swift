import ArgumentParser
import Engine
import Runs
import RunSources
import RunVocabulary
import Tuning

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
        try checkNoTrace(report)
        if let workersList, let over = try parseList(workersList, option: "--workers-list").first(where: { $0 > most }) {
            throw ValidationError("--workers-list: \(over) workers is more than --cluster local:\(most) allows")
        }
    }

    func run() throws {
        let chosen = computation.computation()
        let result = try chosen.checkedProgram(blockSize: chunks).result
        let counts: [Int]
        if case .local(let most)? = cluster.target {
            counts = try workersList.map { try parseList($0, option: "--workers-list") } ?? Array(1...most)
        } else {
            counts = try workersList.map { try parseList($0, option: "--workers-list") } ?? Array(1...Engine.defaultWorkerCount)
            try checkLocalRoom(for: result, workers: counts.max() ?? 1)
        }
        let plan = TuningPlan(kind: .workers, settings: counts.map { RunSettings(blockSize: chunks, workers: $0) }, repeats: repetition.repeats)
        let series = TuningSeries(backend: cluster.backend(scalesWorkers: true), computation: chosen, plan: plan)
        throw CommandExit(try runSeries(series, look: look, report: report))
    }
}
