/// Runs a task graph and hands back the output blocks.
///
/// The serial executor below is the reference; the thread-pool engine conforms too.
public protocol GraphExecutor {
    func execute(_ graph: TaskGraph) throws -> ExecutionResult
}

/// Output blocks, in `graph.outputs` order, and what it took to make them.
public struct ExecutionResult: Sendable {
    public let outputs: [DenseArray]
    public let statistics: ExecutionStatistics

    public init(outputs: [DenseArray], statistics: ExecutionStatistics) {
        self.outputs = outputs
        self.statistics = statistics
    }
}

/// Counters an executor keeps while running a graph.
public struct ExecutionStatistics: Sendable, Equatable {
    public var tasksRun = 0
    /// Bytes of blocks held at the end (the outputs) and at the worst moment.
    public var bytesHeld = 0
    public var peakBytesHeld = 0

    public init() {}
}

/// A task that threw: names the task and its block, and carries the error it threw.
public struct TaskFailure: Error, CustomStringConvertible {
    public let key: TaskKey
    public let blockIndex: [Int]
    public let underlying: any Error

    public init(key: TaskKey, blockIndex: [Int], underlying: any Error) {
        self.key = key
        self.blockIndex = blockIndex
        self.underlying = underlying
    }

    public var description: String {
        "task \(key) (block \(blockIndex)) failed: \(underlying)"
    }
}

/// Runs tasks one at a time on the calling thread, depth first, freeing each
/// block once its last reader has run.
public struct SerialExecutor: GraphExecutor {
    public init() {}

    public func execute(_ graph: TaskGraph) throws -> ExecutionResult {
        var results = [DenseArray?](repeating: nil, count: graph.count)
        var remainingReaders = graph.dependents.map(\.count)
        var isOutput = [Bool](repeating: false, count: graph.count)
        for id in graph.outputs { isOutput[id] = true }
        var statistics = ExecutionStatistics()
        for id in graph.depthFirstOrder() {
            let inputs = graph.dependencies[id].map { results[$0]! }
            let output: DenseArray
            do {
                output = try graph.run(id, inputs)
            } catch {
                throw TaskFailure(key: graph.key(of: id), blockIndex: graph.blockIndex(of: id), underlying: error)
            }
            results[id] = output
            statistics.tasksRun += 1
            statistics.bytesHeld += output.byteCount
            statistics.peakBytesHeld = max(statistics.peakBytesHeld, statistics.bytesHeld)
            for dependency in graph.dependencies[id] {
                remainingReaders[dependency] -= 1
                if remainingReaders[dependency] == 0 && !isOutput[dependency], let block = results[dependency] {
                    statistics.bytesHeld -= block.byteCount
                    results[dependency] = nil
                }
            }
        }
        return ExecutionResult(outputs: graph.outputs.map { results[$0]! }, statistics: statistics)
    }
}
