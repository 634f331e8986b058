import ClusterSources
import DashboardModel
import Testing

/// The incremental description of a growing cluster run is the one made from scratch, after
/// every batch of tasks: grids whose extent grows, more key groups than the grid keeps, grids
/// too large to draw, indices of other ranks or below zero, keys without an index.
@Suite struct ClusterRunDescriberTests {
    /// SplitMix64: the same tasks in every run.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    func expectSame(_ incremental: RunDescription, _ scratch: RunDescription, _ comment: Comment) {
        #expect(incremental.title == scratch.title, comment)
        #expect(incremental.stages == scratch.stages, comment)
        #expect(incremental.heaviestStage == scratch.heaviestStage, comment)
        #expect(incremental.blockCount == scratch.blockCount, comment)
        #expect(incremental.workerCount == scratch.workerCount, comment)
        #expect(incremental.capacity == scratch.capacity, comment)
        #expect(incremental.taskFlops == scratch.taskFlops, comment)
        #expect(incremental.operations == scratch.operations, comment)
        #expect(incremental.operationOfTask == scratch.operationOfTask, comment)
    }

    /// A batch of `count` random tasks: one of `groups` key groups, mostly 2-D indices that reach
    /// further as `step` grows, some 1-D or 3-D, negative, huge, or no index at all.
    func batch(_ count: Int, step: Int, groups: Int, random: inout Generator, taken: inout Set<String>) -> [BridgeMessage.Task] {
        var tasks: [BridgeMessage.Task] = []
        while tasks.count < count {
            let group = Int.random(in: 0..<groups, using: &random)
            let reach = 2 + step
            var index: [Int]
            switch Int.random(in: 0..<20, using: &random) {
            case 0: index = []
            case 1: index = [Int.random(in: 0..<reach, using: &random)]
            case 2: index = [Int.random(in: 0..<reach, using: &random), -1]
            case 3: index = [Int.random(in: 0..<3, using: &random), Int.random(in: 0..<3, using: &random), Int.random(in: 0..<3, using: &random)]
            case 4 where group == 0: index = [Int.random(in: 0..<3000, using: &random), Int.random(in: 0..<3000, using: &random)]
            default: index = [Int.random(in: 0..<reach, using: &random), Int.random(in: 0..<reach, using: &random)]
            }
            let name = "op\(group % 5)-\(group)"
            let key = "('\(name)', \(index.map(String.init).joined(separator: ", ")))"
            guard taken.insert(key).inserted else { continue }
            tasks.append(BridgeMessage.Task(key: key, prefix: "op\(group % 5)", group: name, index: index))
        }
        return tasks
    }

    @Test(arguments: [(groups: 3, seed: UInt64(1)), (groups: 24, seed: 2), (groups: 40, seed: 3)])
    func growingRunIsDescribedAsFromScratch(groups: Int, seed: UInt64) {
        var random = Generator(state: seed)
        var state = ClusterState()
        var describer = ClusterRunDescriber()
        var taken: Set<String> = []
        var events: [ActivityEvent] = []
        expectSame(describer.describe(state, title: "t"), state.runDescription(title: "t"), "before any task")
        for step in 0..<30 {
            let tasks = batch(Int.random(in: 1...60, using: &random), step: step, groups: groups, random: &random, taken: &taken)
            state.apply(.tasks(tasks), now: 0, into: &events)
            if step % 7 == 3 {
                let line = #"{"v":1,"type":"workers","time":1,"workers":[{"address":"tcp://w\#(step)","nthreads":2}]}"#
                if let workers = try? BridgeMessage.parse(Array(line.utf8)) { state.apply(workers, now: 0, into: &events) }
            }
            // Not every growth is described: a poll sees several batches at once.
            if step % 3 != 1 {
                expectSame(describer.describe(state, title: "t"), state.runDescription(title: "t"), "step \(step), \(state.tasks.count) tasks")
            }
        }
        expectSame(describer.describe(state, title: "t"), state.runDescription(title: "t"), "at the end")
    }

    @Test func anotherStateIsDescribedFromScratch() {
        var events: [ActivityEvent] = []
        var big = ClusterState(), small = ClusterState()
        big.apply(.tasks((0..<10).map { BridgeMessage.Task(key: "('a', \($0))", prefix: "a", group: "a", index: [$0]) }), now: 0, into: &events)
        small.apply(.tasks((0..<3).map { BridgeMessage.Task(key: "('b', 0, \($0))", prefix: "b", group: "b", index: [0, $0]) }), now: 0, into: &events)
        var describer = ClusterRunDescriber()
        _ = describer.describe(big, title: "t")
        expectSame(describer.describe(small, title: "t"), small.runDescription(title: "t"), "fewer tasks")
        var other = ClusterState()
        other.apply(.tasks((0..<3).map { BridgeMessage.Task(key: "('c', \($0), 0)", prefix: "c", group: "c", index: [$0, 0]) }), now: 0, into: &events)
        other.apply(.tasks([BridgeMessage.Task(key: "('c', 9, 9)", prefix: "c", group: "c", index: [9, 9])]), now: 0, into: &events)
        expectSame(describer.describe(other, title: "t"), other.runDescription(title: "t"), "other tasks")
    }
}
