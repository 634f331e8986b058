/// What a run computes, fixed when it starts.
public struct RunDescription: Sendable {
    /// The expression or preset, as the user wrote it.
    public var title: String
    public var arrayShape: [Int]
    /// The shape of a (full) block; with `blocksVary`, the largest along each axis.
    public var blockShape: [Int]
    /// Whether blocks differ in size along some axis beyond a last partial block (irregular chunks).
    public var blocksVary = false
    /// How the blocks were chosen when that is not what the expression says, e.g. "overriding
    /// chunks= of 1 call"; nil when they are as written.
    public var blockNote: String?
    public var blockCount: Int
    public var workerCount: Int
    /// How many CPUs the process may use (its affinity and quota); efficiency is measured against it.
    public var capacity: Double
    /// Estimated floating-point operations of each task, by task id.
    public var taskFlops: [Double]
    /// The stages the grid can show (inputs, products, reductions …, in graph order), each with
    /// the block every task belongs to.
    public var stages: [BlockGridMap]
    /// Index in `stages` of the heaviest, where most of the work is.
    public var heaviestStage: Int
    /// What the tasks do (`random`, `matmul`, `sum-partial` …), in order of first appearance.
    public var operations: [String]
    /// `operationOfTask[task]`: index in `operations`.
    public var operationOfTask: [Int32]

    /// A run; without `operations`, every task does one unnamed operation.
    public init(title: String, arrayShape: [Int], blockShape: [Int], blockNote: String? = nil, blockCount: Int, workerCount: Int,
                capacity: Double, taskFlops: [Double], grid: BlockGridMap, otherStages: [BlockGridMap] = [],
                operations: [String] = ["task"], operationOfTask: [Int32]? = nil) {
        self.title = title
        self.arrayShape = arrayShape
        self.blockShape = blockShape
        self.blockNote = blockNote
        self.blockCount = blockCount
        self.workerCount = workerCount
        self.capacity = capacity
        self.taskFlops = taskFlops
        stages = [grid] + otherStages
        heaviestStage = 0
        self.operations = operations
        self.operationOfTask = operationOfTask ?? Array(repeating: 0, count: taskFlops.count)
    }

    /// A run whose grid can show `stages`, `heaviest` the default.
    public init(title: String, arrayShape: [Int], blockShape: [Int], blockNote: String? = nil, blockCount: Int, workerCount: Int,
                capacity: Double, taskFlops: [Double], stages: [BlockGridMap], heaviest: Int, operations: [String],
                operationOfTask: [Int32]) {
        self.init(title: title, arrayShape: arrayShape, blockShape: blockShape, blockNote: blockNote, blockCount: blockCount,
                  workerCount: workerCount, capacity: capacity, taskFlops: taskFlops, grid: stages[heaviest],
                  operations: operations, operationOfTask: operationOfTask)
        self.stages = stages
        heaviestStage = heaviest
    }

    /// The heaviest stage's grid.
    public var grid: BlockGridMap { stages[heaviestStage] }

    /// The operation index of `task`; 0 for an id the run does not know.
    public func operation(ofTask task: Int) -> Int {
        task >= 0 && task < operationOfTask.count ? Int(operationOfTask[task]) : 0
    }

    /// How many tasks each operation has, by operation index.
    public var tasksPerOperation: [Int] {
        var counts = Array(repeating: 0, count: operations.count)
        for operation in operationOfTask where Int(operation) < counts.count { counts[Int(operation)] += 1 }
        return counts
    }

    public var taskCount: Int { taskFlops.count }
    /// More workers than the CPUs the process may use: they take turns on the cores.
    public var isOversubscribed: Bool { Double(workerCount) > capacity.rounded(.up) }
    public var totalFlops: Double { taskFlops.reduce(0, +) }
}

/// The grid of blocks the dashboard draws: the stage's blocks along each axis, and the block
/// each task works on.
public struct BlockGridMap: Sendable, Equatable {
    /// Which stage's blocks these are (its operation, e.g. `matmul`), for the grid's title.
    public var stage: String
    /// Blocks along each axis (rank 0: one block).
    public var extent: [Int]
    /// How many layers the stage joins: the steps of a stencil (each block has a task per step).
    public var steps: Int
    /// `blockOfTask[task]`: row-major block index over `extent`, or -1 for tasks the grid does not show.
    public var blockOfTask: [Int32]
    /// Each block's size along each axis (`[[100, 300, 600], [500, 500]]`), for blocks drawn in
    /// proportion; nil when unknown, and then the blocks are drawn alike.
    public var blockSizes: [[Int]]?

    /// A grid; `blockSizes` is kept only when it lists `extent[axis]` positive sizes on every axis.
    public init(stage: String, extent: [Int], steps: Int = 1, blockOfTask: [Int32], blockSizes: [[Int]]? = nil) {
        self.stage = stage
        self.extent = extent.map { max(1, $0) }
        self.steps = steps
        self.blockOfTask = blockOfTask
        let extent = self.extent
        self.blockSizes = blockSizes.flatMap { sizes in
            sizes.map(\.count) == extent && sizes.allSatisfy { $0.allSatisfy { $0 > 0 } } ? sizes : nil
        }
    }

    /// A 2-D grid of `rows` × `columns` blocks.
    public init(stage: String, rows: Int, columns: Int, blockOfTask: [Int32]) {
        self.init(stage: stage, extent: [rows, columns], blockOfTask: blockOfTask)
    }

    public var blockCount: Int { extent.reduce(1, *) }
}
