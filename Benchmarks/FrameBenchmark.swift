import Dashboard
import DashboardModel
import Foundation

/// The cost of building one dashboard frame (every widget laid out and drawn into cells, before
/// the terminal diff) for a run of 10,000 blocks a third done, at three terminal sizes.
func runFrameBenchmark() throws {
    let model = frameBenchmarkModel(rows: 100, columns: 100)
    let state = ViewState()
    for (width, height) in [(80, 24), (120, 40), (200, 60)] {
        for _ in 0..<20 { _ = DashboardView(model: model, state: state).render(width: width, height: height) }
        var times: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<300 {
            let start = clock.now
            let frame = DashboardView(model: model, state: state).render(width: width, height: height)
            times.append((clock.now - start) / .microseconds(1) / 1_000)
            precondition(frame.width == width)
        }
        times.sort()
        print(String(format: "frame of a 10,000-block run at %d×%d: median %.2f ms, p99 %.2f ms, max %.2f ms (300 frames)",
                     width, height, times[times.count / 2], times[times.count * 99 / 100], times[times.count - 1]))
    }
}

/// A model of `rows`×`columns` blocks with two tasks each on two workers: the first third
/// of the tasks done, one running per worker, ten ready.
private func frameBenchmarkModel(rows: Int, columns: Int) -> DashboardModel {
    let blocks = rows * columns
    let grid = BlockGridMap(stage: "matmul-product", rows: rows, columns: columns,
                            blockOfTask: (0..<(blocks * 2)).map { Int32($0 / 2) })
    let run = RunDescription(title: "(x @ x.T).sum()", arrayShape: [rows * 100, columns * 100], blockShape: [100, 100],
                             blockCount: blocks, workerCount: 2, capacity: 2,
                             taskFlops: Array(repeating: 2e6, count: blocks * 2), grid: grid)
    var model = DashboardModel(run: run)
    let second: UInt64 = 1_000_000_000
    let done = run.taskCount / 3
    var events: [ActivityEvent] = []
    for task in 0..<done {
        let start = UInt64(task) * second / 1_000
        events.append(ActivityEvent(.ready, worker: -1, task: task, time: start))
        events.append(ActivityEvent(.started, worker: task % 2, task: task, time: start))
        events.append(ActivityEvent(.finished, worker: task % 2, task: task, time: start + second / 2_000, startTime: start))
    }
    let now = UInt64(done) * second / 1_000 + second
    for worker in 0..<2 {
        events.append(ActivityEvent(.started, worker: worker, task: done + worker, time: now - second / 2))
    }
    for task in (done + 2)..<(done + 12) { events.append(ActivityEvent(.ready, worker: -1, task: task, time: now)) }
    let machine = MachineReading(cores: [CoreLoad(own: 97, others: 2), CoreLoad(own: 95, others: 3)], processCPU: 196,
                                 residentBytes: 812_000_000, workerCPU: [98, 97],
                                 memoryTotal: 24_000_000_000, memoryAvailable: 20_000_000_000)
    model.apply(SourceUpdate(time: 0, events: [], state: .running, activeSeconds: 0, bytesHeld: 0, peakBytesHeld: 0, machine: nil))
    model.apply(SourceUpdate(time: now, events: events, state: .running, activeSeconds: Double(now) / 1e9, bytesHeld: 96_000_000,
                             peakBytesHeld: 240_000_000, machine: machine))
    return model
}
