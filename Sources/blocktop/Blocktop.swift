import ArgumentParser
import BlockArray
import Foundation

/// The `blocktop` command. Until the dashboard lands it computes the classic
/// demo, `(x @ x.T).sum()` of a random n×n matrix, and prints a report.
@main
struct Blocktop: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Launch blocked array computations and watch them use every core.",
        version: "0.1.0")

    @Option(help: "Rows and columns of the random matrix x.")
    var size = 10_000

    @Option(help: "Block size along each axis.")
    var chunks = 1_000

    @Option(help: "Seed of the random generator.")
    var seed: UInt64 = 0

    func validate() throws {
        guard size > 0 else { throw ValidationError("--size must be > 0, got \(size)") }
        guard chunks > 0 else { throw ValidationError("--chunks must be > 0, got \(chunks)") }
    }

    func run() throws {
        BLAS.pinToOneThread()
        let x = try BlockArray.random([size, size], chunks: .uniform(chunks), seed: seed)
        let expression = try x.matmul(x.T).sum()
        let graph = expression.graph()
        print("x = random((\(size), \(size)), chunks=\(chunks), seed=\(seed)); (x @ x.T).sum()")
        print("blocks: \(x.chunks.blockCount) of \(x.chunks.sizes.map { $0[0] }), tasks: \(graph.count), BLAS threads: \(BLAS.threadCount)")
        let clock = ContinuousClock()
        let start = clock.now
        let result = try SerialExecutor().execute(graph)
        let seconds = (clock.now - start) / .seconds(1)
        let value = result.outputs[0].storage[0]
        let n = Double(size)
        let expected = n * n * n / 4 + n * n / 12
        print("result:   \(value)")
        print("expected: \(expected) (n³/4 + n²/12), relative difference \(abs(value - expected) / expected)")
        print(String(format: "time: %.2f s, %.1f GFLOP/s, peak held %.0f MB",
                     seconds, graph.totalFlops / seconds / 1e9, Double(result.statistics.peakBytesHeld) / 1e6))
    }
}
