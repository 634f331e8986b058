/// Ready tasks ordered by static priority (lowest first).
///
/// Most graphs start with many ready tasks (every source block) and then free
/// a few at a time. So the queue keeps two parts: the initially ready tasks,
/// already in priority order, consumed through a cursor in O(1); and a binary
/// min-heap, of `priority << 32 | id` packed in one Int64, for tasks that become
/// ready later. `pop` takes the smaller of the two heads.
struct ReadyQueue {
    private var initial: [Int64]
    private var cursor = 0
    private var heap: [Int64] = []

    /// A queue holding `tasks`, which must be sorted by ascending priority.
    init(sorted tasks: [(task: Int32, priority: Int32)]) {
        initial = tasks.map { Self.pack($0.task, $0.priority) }
    }

    var isEmpty: Bool { cursor == initial.count && heap.isEmpty }
    var count: Int { initial.count - cursor + heap.count }

    private static func pack(_ task: Int32, _ priority: Int32) -> Int64 {
        Int64(priority) << 32 | Int64(task)
    }

    mutating func push(_ task: Int32, priority: Int32) {
        heap.append(Self.pack(task, priority))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child] < heap[parent] else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// The ready task with the lowest priority value.
    mutating func pop() -> Int32? {
        if cursor < initial.count && (heap.isEmpty || initial[cursor] < heap[0]) {
            cursor += 1
            return Int32(truncatingIfNeeded: initial[cursor - 1])
        }
        guard let last = heap.popLast() else { return nil }
        guard !heap.isEmpty else { return Int32(truncatingIfNeeded: last) }
        let top = heap[0]
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count && heap[left] < heap[smallest] { smallest = left }
            if right < heap.count && heap[right] < heap[smallest] { smallest = right }
            if smallest == parent { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return Int32(truncatingIfNeeded: top)
    }
}
