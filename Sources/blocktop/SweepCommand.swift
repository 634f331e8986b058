import ArgumentParser
import Engine
import Runs
import RunSources
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
            try checkNoTrace(report)
        }
    }

    private func sizes(default base: Int) throws -> [Int] {
        guard let chunks else { return TuningPlan.sweepSizes(around: base) }
        return try parseList(chunks, option: "--chunks")
    }

    func run() throws {
        let chosen = computation.computation()
        let sizes = try sizes(default: ownBlockSize(of: chosen))
        let programs = try sizes.map { try chosen.checkedProgram(blockSize: $0) }
        var count = 1
        if cluster.target == nil {
            count = workers ?? Engine.defaultWorkerCount
            if let first = programs.first { try checkLocalRoom(for: first.result, workers: count) }
        }
        let plan = TuningPlan(kind: .blockSizes, settings: sizes.map { RunSettings(blockSize: $0, workers: count) }, repeats: repetition.repeats)
        let series = TuningSeries(backend: cluster.backend(), computation: chosen, plan: plan)
        throw CommandExit(try runSeries(series, look: look, report: report))
    }
}

/// The block size the computation's text gives its largest created array (its `chunks=`, else the
/// default): what a sweep's default sizes are around.
private func ownBlockSize(of computation: Computation) throws -> Int {
    let sizes = try computation.checkedProgram(blockSize: nil).mainArray.chunks.sizes
    return sizes.first?.first ?? computation.defaultBlockSize
}
