import ClusterSources
import Dashboard
import DashboardModel
import Foundation
import Synchronization

/// The cost of a dashboard tick while a watched cluster's run grows: a client submits a graph of
/// 1,000 tasks (a 25×40 block grid, a key group of its own) at every tick and they run, with the
/// cluster already holding tens of thousands of tasks (blocktop keeps every task it saw). Times
/// `ClusterSource.poll` (the bridge's messages applied, the run described again) and the model's
/// update (the grown run taken, the events applied), recorded lines replayed without a cluster;
/// and, for comparison, `ClusterState.runDescription`, which described the run from scratch at
/// each such poll until blocktop kept the description up to date (`ClusterRunDescriber`).
func runClusterGrowthBenchmark() throws {
    let feed = ScriptedFeed()
    let time = 1_700_000_000.0
    func parsed(_ line: String) -> BridgeMessage {
        guard let message = try? BridgeMessage.parse(Array(line.utf8)) else { fatalError("bad line \(line)") }
        return message
    }
    let workers = (0..<2).map {
        #"{"address":"tcp://127.0.0.1:4000\#($0)","name":"\#($0)","host":"127.0.0.1","nthreads":1,"memory_limit":1000000000,"memory":1000,"cpu":90,"executing":1,"ready":0,"in_memory":0,"cores":null}"#
    }
    feed.script = [[parsed(#"{"v":1,"type":"hello","bridge":"1.0","mode":"attach","events":"plugin","time":\#(time)}"#),
                    parsed(#"{"v":1,"type":"workers","time":\#(time),"workers":[\#(workers.joined(separator: ","))]}"#)]]
    let perTick = 1_000, ticks = 120
    for tick in 0..<ticks {
        let group = String(format: "add-%032x", tick)
        let tasks = (0..<perTick).map { BridgeMessage.Task(key: "('\(group)', \($0 / 40), \($0 % 40))", prefix: "add", group: group,
                                                           index: [$0 / 40, $0 % 40]) }
        let events = tasks.enumerated().map { position, task in
            let at = time + Double(tick) * 0.1 + Double(position) * 1e-4
            return #"{"key":"\#(task.key)","state":"memory","worker":"tcp://127.0.0.1:4000\#(position % 2)","thread":1,"start":\#(at - 1e-4),"stop":\#(at),"time":\#(at)}"#
        }
        feed.script.append([.tasks(tasks), parsed(#"{"v":1,"type":"transitions","events":[\#(events.joined(separator: ","))]}"#)])
    }
    // What the bridge's reading thread does with each line, before any tick: the parse of a
    // transitions line as large as those of a graph's submission (2,000 events, ~300 KB).
    let burst = (0..<2_000).map { position in
        #"{"key":"('add-\#(String(repeating: "7", count: 32))', \#(position / 100), \#(position % 100))","state":"queued","worker":null,"thread":null,"start":null,"stop":null,"time":\#(time + Double(position) * 1e-5)}"#
    }
    let burstLine = Array(#"{"v":1,"type":"transitions","events":[\#(burst.joined(separator: ","))]}"#.utf8)
    var parses: [Double] = []
    for _ in 0..<20 {
        let start = ContinuousClock.now
        precondition((try? BridgeMessage.parse(burstLine)) != nil)
        parses.append((ContinuousClock.now - start) / .milliseconds(1))
    }
    print(String(format: "bridge line parse, a transitions line of 2,000 events (%d KB): median %.1f ms (20 parses)",
                 burstLine.count / 1000, median(parses)))

    let source = ClusterSource(feed: feed, title: "cluster growth")
    var model = DashboardModel(run: source.run)
    var polls: [Double] = [], updates: [Double] = [], scratch: [Int: Double] = [:]
    let clock = ContinuousClock()
    for tick in 0...ticks {
        let start = clock.now
        let update = source.poll()
        let polled = clock.now
        model.apply(update)
        let applied = clock.now
        polls.append((polled - start) / .milliseconds(1))
        updates.append((applied - polled) / .milliseconds(1))
        // What describing the run from scratch at each such poll (as blocktop did before) costs.
        if tick % 10 == 0 {
            let start = clock.now
            precondition(source.state.runDescription(title: "cluster growth").taskCount == source.run.taskCount)
            scratch[tick] = (clock.now - start) / .milliseconds(1)
        }
    }
    precondition(model.tasksDone == perTick * ticks, "\(model.tasksDone) tasks done on screen")
    for known in [10_000, 60_000, 120_000] {
        let tick = known / perTick
        let window = max(1, tick - 5)...tick
        print(String(format: "cluster growth, %@ tasks known, 1,000 more per tick: poll %.2f ms + model %.2f ms (medians of ticks %d–%d); the run described from scratch instead: %.2f ms",
                     "\(known)", median(window.map { polls[$0] }), median(window.map { updates[$0] }), window.lowerBound, window.upperBound,
                     scratch[tick] ?? .nan))
    }
}

/// A feed that hands on one scripted batch of messages per drain.
private final class ScriptedFeed: ClusterFeed {
    private let batches = Mutex<[[BridgeMessage]]>([])

    var script: [[BridgeMessage]] {
        get { batches.withLock { $0 } }
        set { batches.withLock { $0 = newValue } }
    }

    func drain() -> FeedBatch {
        var batch = FeedBatch()
        batch.messages = batches.withLock { $0.isEmpty ? [] : $0.removeFirst() }
        return batch
    }

    func stop() {}
}
