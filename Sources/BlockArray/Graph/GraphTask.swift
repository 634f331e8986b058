/// The name of one task's output: a layer name and a position in that layer.
public struct TaskKey: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public let index: [Int]

    public init(_ name: String, _ index: [Int]) {
        self.name = name
        self.index = index
    }

    /// dask's tuple notation: `('add-1f…', 0, 3)`.
    public var description: String {
        "('\(name)'" + index.map { ", \($0)" }.joined() + ")"
    }
}

/// What a task runs: its input blocks, in dependency order, to its output block.
public typealias BlockKernel = @Sendable ([DenseArray]) throws -> DenseArray

/// One unit of work: a kernel, the keys it reads, and what the dashboard shows of it.
public struct GraphTask: Sendable {
    public let key: TaskKey
    public let dependencies: [TaskKey]
    /// Position of the block this task produces (or contributes to) in its layer's block grid.
    public let blockIndex: [Int]
    /// Estimated floating-point operations.
    public let flops: Double
    /// Bytes of the block it produces.
    public let outputBytes: Int
    /// How many tasks of the unoptimized graph this one stands for (after fusion).
    public let fusedCount: Int
    /// What the task does, as a monitor names it (dask's task prefix): `random`, `matmul`, `syrk`,
    /// `sum-partial` …; a fused task names the operations it runs, in order, joined by `+`.
    public let operation: String
    package let kernel: BlockKernel

    /// A task; `operation` is named once per layer by its maker, not worked out per task.
    package init(
        key: TaskKey, dependencies: [TaskKey], blockIndex: [Int]? = nil, operation: String,
        flops: Double, outputShape: [Int], fusedCount: Int = 1, kernel: @escaping BlockKernel
    ) {
        self.key = key
        self.dependencies = dependencies
        self.blockIndex = blockIndex ?? key.index
        self.operation = operation
        self.flops = flops
        self.outputBytes = elementCount(outputShape) * MemoryLayout<Double>.stride
        self.fusedCount = fusedCount
        self.kernel = kernel
    }

    /// A task as a graph shows it, with every field given.
    package init(key: TaskKey, dependencies: [TaskKey], blockIndex: [Int], operation: String, flops: Double,
                 outputBytes: Int, fusedCount: Int, kernel: @escaping BlockKernel) {
        self.key = key
        self.dependencies = dependencies
        self.blockIndex = blockIndex
        self.operation = operation
        self.flops = flops
        self.outputBytes = outputBytes
        self.fusedCount = fusedCount
        self.kernel = kernel
    }

    /// Runs the kernel on its inputs.
    public func run(_ inputs: [DenseArray]) throws -> DenseArray {
        try kernel(inputs)
    }
}
