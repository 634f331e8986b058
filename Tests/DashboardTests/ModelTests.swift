import BlocktopSupport
import Dashboard
import DashboardModel
import RunVocabulary
import Testing

@Suite struct ModelTests {
    static let second: UInt64 = 1_000_000_000

    @Test func taskStatesOnlyMoveForward() {
        var blocks = BlockStates(BlockGridMap(stage: "s", rows: 1, columns: 2, blockOfTask: [0, 0, 1, -1]))
        #expect(blocks.stages[0].total == [2, 1])
        // A start drained before its ready (queues are read one after another).
        let moved1 = blocks.apply(ActivityEvent(.started, worker: 1, task: 0, time: 2))
        #expect(moved1)
        let moved2 = blocks.apply(ActivityEvent(.ready, worker: -1, task: 0, time: 1))
        #expect(!moved2)
        #expect(blocks.stages[0].running == [1, 0] && blocks.stages[0].ready == [0, 0] && blocks.stages[0].worker == [1, -1])
        blocks.apply(ActivityEvent(.finished, worker: 1, task: 0, time: 3, startTime: 2))
        #expect(blocks.stages[0].done == [1, 0] && blocks.stages[0].running == [0, 0])
        blocks.apply(ActivityEvent(.ready, worker: -1, task: 2, time: 3))
        blocks.apply(ActivityEvent(.failed, worker: 0, task: 2, time: 4))
        #expect(blocks.stages[0].failed == [0, 1] && blocks.stages[0].ready == [0, 0])
        let moved3 = blocks.apply(ActivityEvent(.finished, worker: 0, task: 3, time: 5))
        #expect(moved3)
        let moved4 = blocks.apply(ActivityEvent(.finished, worker: 0, task: 99, time: 5))
        #expect(!moved4)
    }

    /// A done task whose result was lost goes back to ready and counts as done again only when
    /// it finishes again; nothing else takes a task back.
    @Test func aRecomputedTaskGoesBackToReadyThenDoneAndIsCounted() {
        var run = Fixtures.run(rows: 1, columns: 2, tasksPerBlock: 1)
        run.taskFlops = [2, 2]
        var model = DashboardModel(run: run)
        func update(_ events: [ActivityEvent]) {
            model.apply(SourceUpdate(time: 1, events: events, state: .running, activeSeconds: 1, bytesHeld: 0, peakBytesHeld: 0, machine: nil))
        }
        update([ActivityEvent(.finished, worker: 0, task: 0, time: 1), ActivityEvent(.finished, worker: 1, task: 1, time: 1)])
        #expect(model.tasksDone == 2 && model.flopsDone == 4 && model.operationProgress[0].done == 2)
        update([ActivityEvent(.recomputing, worker: -1, task: 0, time: 2), ActivityEvent(.ready, worker: -1, task: 1, time: 2)])
        #expect(model.blocks.stages[0].done == [0, 1] && model.blocks.stages[0].ready == [1, 0])
        #expect(model.tasksDone == 1 && model.flopsDone == 2 && model.operationProgress[0].done == 1 && model.tasksRecomputed == 1)
        // A second word of the same loss finds the task ready, not done: it counts once.
        update([ActivityEvent(.recomputing, worker: -1, task: 0, time: 2), ActivityEvent(.finished, worker: 0, task: 0, time: 3)])
        #expect(model.blocks.stages[0].done == [1, 1] && model.blocks.stages[0].ready == [0, 0])
        #expect(model.tasksDone == 2 && model.flopsDone == 4 && model.operationProgress[0].done == 2 && model.tasksRecomputed == 1)
    }

    /// Every stage counts the tasks it shows, a task once whatever the order its events come in;
    /// the grid follows the stage with work and keeps it while it has tasks ready or running.
    @Test func stagesCountTheirOwnBlocksAndTheGridFollowsTheWork() {
        var run = Fixtures.run(rows: 1, columns: 2, tasksPerBlock: 1)
        // Tasks 0-1 make the inputs (stage 0), 2-3 the product (stage 1, the heaviest).
        run.stages = [BlockGridMap(stage: "random", rows: 1, columns: 2, blockOfTask: [0, 1, -1, -1]),
                      BlockGridMap(stage: "matmul", rows: 1, columns: 2, blockOfTask: [-1, -1, 0, 1])]
        run.heaviestStage = 1
        run.taskFlops = [0, 0, 1, 1]
        var model = DashboardModel(run: run)
        func update(_ events: [ActivityEvent], _ state: RunState = .running) {
            model.apply(SourceUpdate(time: 1, events: events, state: state, activeSeconds: 1, bytesHeld: 0, peakBytesHeld: 0, machine: nil))
        }
        #expect(model.shownStage(pinned: nil) == 1)
        update([ActivityEvent(.started, worker: 0, task: 0, time: 1)])
        #expect(model.shownStage(pinned: nil) == 0)
        #expect(model.blocks.stages[0].running == [1, 0] && model.blocks.stages[1].running == [0, 0])
        // Stage 1 gets a running task, but stage 0 still has one: the grid stays.
        update([ActivityEvent(.started, worker: 1, task: 2, time: 1)])
        #expect(model.shownStage(pinned: nil) == 0)
        update([ActivityEvent(.finished, worker: 0, task: 0, time: 1), ActivityEvent(.finished, worker: 0, task: 1, time: 1)])
        #expect(model.shownStage(pinned: nil) == 1)
        #expect(model.shownStage(pinned: 0) == 0 && model.shownStage(pinned: 7) == 1)
        update([ActivityEvent(.finished, worker: 1, task: 2, time: 1), ActivityEvent(.finished, worker: 1, task: 3, time: 1)], .done)
        #expect(model.blocks.stages.map(\.done) == [[1, 1], [1, 1]])
        #expect(model.tasksDone == 4 && model.shownStage(pinned: nil) == 1)
    }

    @Test func ratesEtaAndEfficiency() {
        let run = Fixtures.run(rows: 1, columns: 10, tasksPerBlock: 1)
        var model = DashboardModel(run: run)
        model.apply(SourceUpdate(time: 0, events: [], state: .running, activeSeconds: 0, bytesHeld: 0, peakBytesHeld: 0, machine: nil))
        var events: [ActivityEvent] = []
        for task in 0..<4 {
            events.append(ActivityEvent(.started, worker: 0, task: task, time: UInt64(task) * Self.second / 2))
            events.append(ActivityEvent(.finished, worker: 0, task: task, time: UInt64(task + 1) * Self.second / 2,
                                        startTime: UInt64(task) * Self.second / 2))
        }
        model.apply(SourceUpdate(time: 2 * Self.second, events: events, state: .running, activeSeconds: 2, bytesHeld: 10, peakBytesHeld: 20,
                                 machine: Fixtures.machine(cores: 2, workers: 2, processCPU: 150)))
        #expect(model.tasksDone == 4)
        #expect(model.tasksPerSecond == 2)
        #expect(model.flopsPerSecond == 4e9)
        #expect(model.etaSeconds == 3)
        #expect(model.efficiency == 0.75)
        #expect(model.fractionDone == 0.4)
        #expect(model.elapsedSeconds == 2)
        model.apply(SourceUpdate(time: 3 * Self.second, events: [], state: .done, activeSeconds: 3, bytesHeld: 8, peakBytesHeld: 20, machine: nil))
        #expect(model.state == .done)
        #expect(model.etaSeconds == nil)
        // Later updates do not change the final state or the elapsed time.
        model.apply(SourceUpdate(time: 9 * Self.second, events: [], state: .running, activeSeconds: 9, bytesHeld: 8, peakBytesHeld: 20, machine: nil))
        #expect(model.state == .done && model.elapsedSeconds == 3)
    }

    /// Time and CPU while paused are not the run's: its time is the source's active time, and
    /// its average CPU leaves out the readings taken while paused.
    @Test func pausesCountInNeitherTheTimeNorTheAverageCPU() {
        var model = DashboardModel(run: Fixtures.run(rows: 1, columns: 4, tasksPerBlock: 1))
        let updates: [(second: UInt64, state: RunState, active: Double, cpu: Double)] = [
            (1, .running, 1, 190), (2, .paused, 1.5, 2), (8, .paused, 1.5, 1), (9, .running, 2.5, 170), (10, .done, 3, 5)]
        for update in updates {
            model.apply(SourceUpdate(time: update.second * Self.second, events: [], state: update.state, activeSeconds: update.active,
                                     bytesHeld: 0, peakBytesHeld: 0,
                                     machine: Fixtures.machine(cores: 2, workers: 2, processCPU: update.cpu)))
        }
        #expect(model.elapsedSeconds == 3)
        #expect(model.processCPU == 180)
        #expect(RecentRun(model).seconds == 3)
    }

    @Test func aFinishedRunKeepsItsResultAndItsAverageCPU() {
        let run = Fixtures.run(rows: 1, columns: 4, tasksPerBlock: 1)
        var model = DashboardModel(run: run)
        for (second, cpu) in [(1, 190.0), (2, 170.0)] {
            model.apply(SourceUpdate(time: UInt64(second) * Self.second, events: [], state: .running, activeSeconds: Double(second), bytesHeld: 0,
                                     peakBytesHeld: 0, machine: Fixtures.machine(cores: 2, workers: 2, processCPU: cpu)))
        }
        #expect(model.processCPU == 170)
        model.apply(SourceUpdate(time: 3 * Self.second, events: [], state: .done, activeSeconds: 3, bytesHeld: 0, peakBytesHeld: 0,
                                 machine: Fixtures.machine(cores: 2, workers: 2, processCPU: 3), result: "2.5e+11"))
        // Once done, the figures stand for the run, not for the idle moment after it.
        #expect(model.processCPU == 180)
        #expect(model.efficiency == 0.9)
        #expect(model.result == "2.5e+11")
        let header = Fixtures.render(model, width: 120, height: 40).lines[1]
        #expect(header.contains("result 2.5e+11"), "\(header)")
    }

    @Test func taskStreamOccupancyCountsBusyTimeAndItsMainOperation() {
        var stream = TaskStream(workers: 2, window: 10 * Self.second)
        stream.apply(ActivityEvent(.started, worker: 0, task: 0, time: 0), operation: 2)
        stream.apply(ActivityEvent(.finished, worker: 0, task: 0, time: Self.second, startTime: 0), operation: 2)
        stream.apply(ActivityEvent(.started, worker: 0, task: 1, time: 3 * Self.second / 2), operation: 5)
        let now = 4 * Self.second
        #expect(stream.occupancy(worker: 0, from: 0, to: 2 * Self.second, now: now) == .init(busy: 0.75, operation: 2))
        #expect(stream.occupancy(worker: 0, from: Self.second / 2, to: 5 * Self.second / 2, now: now)
                == .init(busy: 0.75, operation: 5))
        #expect(stream.occupancy(worker: 0, from: 2 * Self.second, to: now, now: now) == .init(busy: 1, operation: 5))
        #expect(stream.occupancy(worker: 1, from: 0, to: now, now: now) == .init(busy: 0, operation: nil))
        stream.prune(now: 20 * Self.second)
        #expect(stream.finished[0].isEmpty)
        #expect(stream.running[0] == .init(since: 3 * Self.second / 2, operation: 5))
    }

    /// Each operation counts its own tasks and their worker time; a task event counts once.
    @Test func operationProgressCountsTasksAndTheirTime() {
        var run = Fixtures.run(rows: 1, columns: 2, tasksPerBlock: 2)
        run.operations = ["random", "matmul"]
        run.operationOfTask = [0, 1, 0, 1]
        var model = DashboardModel(run: run)
        #expect(model.operationProgress.map(\.total) == [2, 2])
        let events = [
            ActivityEvent(.started, worker: 0, task: 0, time: 0),
            ActivityEvent(.finished, worker: 0, task: 0, time: Self.second, startTime: 0),
            ActivityEvent(.finished, worker: 0, task: 0, time: Self.second, startTime: 0),  // again: ignored
            ActivityEvent(.started, worker: 1, task: 1, time: 0),
            ActivityEvent(.finished, worker: 1, task: 1, time: 3 * Self.second, startTime: 0),
            ActivityEvent(.started, worker: 1, task: 3, time: 3 * Self.second),
            ActivityEvent(.failed, worker: 1, task: 3, time: 4 * Self.second, startTime: 3 * Self.second),
        ]
        model.apply(SourceUpdate(time: 4 * Self.second, events: events, state: .running, activeSeconds: 4,
                                 bytesHeld: 0, peakBytesHeld: 0, machine: nil))
        #expect(model.operationProgress == [
            OperationProgress(total: 2, done: 1, failed: 0, busySeconds: 1),
            OperationProgress(total: 2, done: 1, failed: 1, busySeconds: 3),
        ])
        #expect(model.stream.occupancy(worker: 1, from: 0, to: 4 * Self.second, now: 4 * Self.second)
                == .init(busy: 1, operation: 1))
    }

    /// The grid fills its area: blocks take every character they can (a gap between them once
    /// 3 wide or high), k×k blocks a cell only when there are more blocks than characters, 1-D
    /// stages wrap, and 3-D ones fold into planes side by side.
    @Test func gridFits() {
        let small = BlockGridWidget.fit(extent: [2, 2], width: 40, height: 10)
        #expect(small == .init(blockRows: 2, blockColumns: 2, rows: 2, columns: 2, factor: 1, cellWidth: 20, cellHeight: 5))
        #expect(small.gapX == 1 && small.gapY == 1)
        let tenByTen = BlockGridWidget.fit(extent: [10, 10], width: 76, height: 14)
        #expect(tenByTen.factor == 1 && tenByTen.cellWidth == 7 && tenByTen.cellHeight == 1)
        #expect(Double(tenByTen.width) / 76 >= 0.8)
        #expect(BlockGridWidget.fit(extent: [10, 30], width: 40, height: 10).cellWidth == 1)
        let hundred = BlockGridWidget.fit(extent: [100, 100], width: 40, height: 10)
        #expect(hundred.factor == 10 && hundred.rows == 10 && hundred.columns == 10 && hundred.cellWidth == 4)
        let line = BlockGridWidget.fit(extent: [8], width: 40, height: 10)
        #expect(line.rows == 1 && line.columns == 8 && line.cellWidth == 5 && line.cellHeight == 2)
        let wrapped = BlockGridWidget.fit(extent: [100], width: 40, height: 10)
        #expect(wrapped.wraps && wrapped.factor == 1 && wrapped.columns == 40 && wrapped.rows == 3 && wrapped.cellHeight == 3)
        let folded = BlockGridWidget.fit(extent: [10_000], width: 40, height: 10)
        #expect(folded.rows <= 10 && folded.columns <= 40 && folded.rows * folded.columns * folded.factor >= 10_000)
        let planes = BlockGridWidget.fit(extent: [3, 4, 5], width: 50, height: 12)
        #expect(planes.planes == 3 && planes.rows == 4 && planes.columns == 5 && planes.cellWidth == 3 && planes.cellHeight == 3)
        #expect(planes.width <= 50)
        // Too many planes to stand side by side: the trailing axes are flattened instead.
        let many = BlockGridWidget.fit(extent: [30, 2, 2], width: 40, height: 12)
        #expect(many.planes == 1 && many.blockRows == 30 && many.blockColumns == 4)
    }
}
