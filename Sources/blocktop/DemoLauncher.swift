import BlockArray
import Dashboard
import Engine
import Foundation

/// Starts the classic demo, `(x @ x.T).sum()` with x = random((n, n), chunks=b), on an
/// engine with the requested workers; the dashboard's reruns come here too.
final class DemoLauncher: RunLauncher {
    let size: Int
    let seed: UInt64
    /// The latest run and its block size.
    private(set) var current: EngineSource?
    private(set) var currentBlockSize: Int
    private var engine: Engine?

    /// The most blocks along an axis: the product alone has (n/b)³ tasks.
    static let maximumBlocksPerAxis = 64

    init(size: Int, seed: UInt64) {
        self.size = size
        self.seed = seed
        currentBlockSize = size
    }

    /// What is wrong with a block size for this demo.
    struct BlockSizeError: Error, CustomStringConvertible {
        let blockSize: Int
        let size: Int

        var description: String {
            blockSize > size
                ? "block size \(blockSize) is larger than the matrix (\(size))"
                : "block size \(blockSize) makes more than \(DemoLauncher.maximumBlocksPerAxis) blocks per axis of \(size)"
        }
    }

    func launch(_ settings: RunSettings) throws -> any DashboardSource {
        try start(settings)
    }

    /// Starts a run; the concrete source, for the report.
    func start(_ settings: RunSettings) throws -> EngineSource {
        let blockSize = settings.blockSize ?? size
        guard blockSize <= size, (size + blockSize - 1) / blockSize <= Self.maximumBlocksPerAxis else {
            throw BlockSizeError(blockSize: blockSize, size: size)
        }
        let x = try BlockArray.random([size, size], chunks: .uniform(blockSize), seed: seed)
        let graph = try x.matmul(x.T).sum().graph()
        if engine?.workerCount != settings.workers { engine = Engine(workers: settings.workers) }
        let source = EngineSource(engine: engine!, graph: graph, title: "(x @ x.T).sum()", arrayShape: [size, size],
                                  blockShape: [blockSize, blockSize])
        current = source
        currentBlockSize = blockSize
        return source
    }

    /// Prints the plain report of a finished run; `seconds` overrides the time the engine measured to the wait.
    func report(_ result: RunResult, chunks: Int, seconds: Double? = nil) {
        print("x = random((\(size), \(size)), chunks=\(chunks), seed=\(seed)); (x @ x.T).sum()")
        if let source = current {
            let run = source.run
            print("blocks: \(run.blockCount) of \(chunks), tasks: \(run.taskCount), workers: \(run.workerCount), BLAS threads: \(BLAS.threadCount)")
        }
        switch result.status {
        case .done:
            let value = result.outputs[0].storage[0]
            let n = Double(size)
            let expected = n * n * n / 4 + n * n / 12
            print("result:   \(value)")
            print("expected: \(expected) (n³/4 + n²/12), relative difference \(abs(value - expected) / expected)")
        case .failed:
            print("failed: \(result.failure.map { "\($0)" } ?? "unknown")")
        default:
            print("cancelled")
        }
        let flops = current?.run.totalFlops ?? 0
        let time = seconds ?? result.wallSeconds
        print(String(format: "time: %.2f s, %.1f GFLOP/s, peak held %.0f MB",
                     time, flops / time / 1e9, Double(result.statistics.peakBytesHeld) / 1e6))
    }
}
