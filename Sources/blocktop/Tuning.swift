import ArgumentParser
import BlockArray
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

    @Option(help: "Worker threads (default: the CPUs this process may use).")
    var workers: Int?

    func validate() throws {
        _ = try sizes(default: 1_000)
        if let workers, workers < 1 { throw ValidationError("--workers must be ≥ 1, got \(workers)") }
    }

    private func sizes(default base: Int) throws -> [Int] {
        guard let chunks else { return [base / 4, base / 2, base, base * 2].filter { $0 > 0 } }
        return try parseList(chunks, option: "--chunks")
    }

    func run() throws {
        let chosen = computation.computation()
        let engine = Engine(workers: workers)
        var rows: [TuningRow] = []
        for size in try sizes(default: chosen.defaultBlockSize) {
            let program = try build(chosen, blockSize: size)
            warn("block size \(size): \(program.result.graph().count) tasks")
            rows.append(TuningRow.measure(setting: size, graph: program.result.graph(), on: engine, progress: isatty(STDERR_FILENO) == 1))
        }
        print(TuningReport.sweepTable(rows))
        if !TuningReport.resultsAgree(rows) { throw ExitCode.failure }
    }
}

/// `blocktop scale`: the same computation with 1, 2, … workers, against the ideal speedup.
struct Scale: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a computation with 1, 2, … N workers and show speedup and parallel efficiency.")

    @OptionGroup var computation: ComputationOptions

    @Option(help: "Block size along each axis for creation calls that give no chunks=.")
    var chunks: Int?

    @Option(help: "Worker counts, comma-separated (default: 1 to the CPUs this process may use).")
    var workersList: String?

    func validate() throws {
        if let workersList { _ = try parseList(workersList, option: "--workers-list") }
        if let chunks, chunks < 1 { throw ValidationError("--chunks must be ≥ 1, got \(chunks)") }
    }

    func run() throws {
        let chosen = computation.computation()
        let program = try build(chosen, blockSize: chunks)
        let graph = program.result.graph()
        let counts = try workersList.map { try parseList($0, option: "--workers-list") } ?? Array(1...Engine.defaultWorkerCount)
        let rows = counts.map { count in
            warn("\(count) worker\(count == 1 ? "" : "s")")
            return TuningRow.measure(setting: count, graph: graph, on: Engine(workers: count), progress: isatty(STDERR_FILENO) == 1)
        }
        print(TuningReport.scaleTable(rows))
        if !TuningReport.resultsAgree(rows) { throw ExitCode.failure }
    }
}

/// Positive whole numbers from "a,b,c", or a validation error naming the option and the bad item.
func parseList(_ text: String, option: String) throws -> [Int] {
    let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    return try items.map { item in
        guard let value = Int(item), value > 0 else {
            throw ValidationError("\(option): '\(sanitized(item))' is not a positive whole number (in '\(sanitized(text))')")
        }
        return value
    }
}
