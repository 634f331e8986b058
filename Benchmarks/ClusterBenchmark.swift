import ClusterSources
import Dashboard
import DashboardModel
import Foundation
import Synchronization

/// Watching a Dask cluster (issue 15's performance goals), on a local cluster of 2 single-thread
/// worker processes that Benchmarks/cluster/cluster.py starts with the tests' venv:
///
/// 1. Latency from a task's transition on the scheduler to the frame that shows it, for a
///    10,000-task graph (`da.ones((100, 100), chunks=1) + k`, one task per block): the dashboard's
///    loop run here as `blocktop attach` runs it (the bridge's lines, `ClusterSource.poll`, the
///    model's update and a 120×40 frame, every 100 ms), each transition's `time` (the scheduler's
///    Unix clock, the same clock as this process's on one machine) against the wall clock when
///    its frame was done. Goal: p95 ≤ 150 ms, every task done on screen.
/// 2. `blocktop attach` itself (the binary, in tmux at 120×40, 10 Hz) while the cluster runs a
///    long computation of 10 ms tasks: its CPU and its bridge's, from /proc/PID/stat over a
///    window. Goal: blocktop < 2% of a core.
///
/// `BLOCKTOP_BENCH_PYTHON` names the venv's Python (default .build/venv/bin/python);
/// `BLOCKTOP_BENCH_CLUSTER=latency` or `=cpu` runs one part alone.
func runClusterBenchmark() throws {
    let python = ProcessInfo.processInfo.environment["BLOCKTOP_BENCH_PYTHON"] ?? ".build/venv/bin/python"
    guard FileManager.default.isExecutableFile(atPath: python) else {
        print("cluster: no Python at \(python): run `make venv` (or set BLOCKTOP_BENCH_PYTHON)")
        return
    }
    print(loadNote())
    let driver = try ClusterDriver(python: python)
    defer { driver.stop() }
    print("cluster: scheduler \(driver.scheduler), 2 single-thread workers")
    let part = ProcessInfo.processInfo.environment["BLOCKTOP_BENCH_CLUSTER"]
    if part != "cpu" { try measureLatency(driver: driver, python: python, rounds: 2) }
    if part != "latency" { try measureAttachCPU(driver: driver, python: python) }
    print(loadNote())
}

// MARK: - Latency

/// A feed that notes, at each drain, when it happened and the scheduler times of the transitions
/// it hands on (those the dashboard shows: ready, running, done, failed).
private final class TimedFeed: ClusterFeed {
    struct Drain {
        var wallTime: Double
        /// Each shown transition's state and scheduler time.
        var transitions: [(state: String, time: Double)]
        var tasksDescribed: Int
    }

    private let feed: any ClusterFeed
    private let drains = Mutex<[Drain]>([])

    init(_ feed: any ClusterFeed) {
        self.feed = feed
    }

    func drain() -> FeedBatch {
        let batch = feed.drain()
        var drain = Drain(wallTime: Date().timeIntervalSince1970, transitions: [], tasksDescribed: 0)
        for message in batch.messages {
            switch message {
            case .transitions(let transitions):
                for transition in transitions {
                    guard let time = transition.time else { continue }
                    switch transition.state {
                    case .processing, .queued, .noWorker, .memory, .erred: drain.transitions.append((transition.state.rawValue, time))
                    default: break
                    }
                }
            case .tasks(let tasks): drain.tasksDescribed += tasks.count
            default: break
            }
        }
        drains.withLock { $0.append(drain) }
        return batch
    }

    /// The drains since the previous call.
    func takeDrains() -> [Drain] { drains.withLock { taken in defer { taken = [] }; return taken } }

    func stop() { feed.stop() }
}

private func measureLatency(driver: ClusterDriver, python: String, rounds: Int) throws {
    let connection = try ClusterConnection.open(.scheduler(driver.scheduler), httpOnly: false, python: python, tls: TLSFiles(caFile: nil, certificate: nil, key: nil),
                                                executable: CommandLine.arguments[0])
    guard connection.events == .plugin else {
        connection.feed.stop()
        print("cluster latency: no per-task events (\(connection.notice ?? "?")): nothing to measure")
        return
    }
    let feed = TimedFeed(connection.feed)
    let source = ClusterSource(feed: feed, title: "cluster \(driver.scheduler)")
    defer { source.stop() }
    var model = DashboardModel(run: source.run)
    let view = ViewState()
    let interval: UInt64 = 100_000_000
    func nanoseconds() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
    /// One dashboard tick, as `DashboardApp` makes it; returns the drains it showed and its phases' seconds.
    func tick() -> (drains: [TimedFeed.Drain], poll: Double, apply: Double, render: Double, grown: Bool) {
        let start = nanoseconds()
        let update = source.poll()
        let polled = nanoseconds()
        model.apply(update)
        let applied = nanoseconds()
        let frame = DashboardView(model: model, state: view).render(width: 120, height: 40)
        let rendered = nanoseconds()
        precondition(frame.width == 120)
        return (feed.takeDrains(), Double(polled - start) / 1e9, Double(applied - polled) / 1e9, Double(rendered - applied) / 1e9,
                update.grownRun != nil)
    }
    // Settle: the bridge's hello, the workers, the tasks the scheduler already holds.
    var next = nanoseconds()
    for _ in 0..<20 {
        _ = tick()
        next += interval
        sleepUntil(next)
    }
    for round in 1...rounds {
        let doneBefore = model.tasksDone
        driver.send("graph \(round)")
        var latencies: [Double] = [], drainLatencies: [Double] = [], byState: [String: [Double]] = [:]
        var polls: [Double] = [], applies: [Double] = [], renders: [Double] = [], ticks: [Double] = []
        var grownTicks = 0, described = 0, expected: Int?, graphSeconds: Double?
        let deadline = Date().addingTimeInterval(180)
        next = nanoseconds()
        while Date() < deadline {
            let shown = tick()
            let frameDone = Date().timeIntervalSince1970
            for drain in shown.drains {
                for (state, time) in drain.transitions {
                    latencies.append(frameDone - time)
                    byState[state, default: []].append(frameDone - time)
                    drainLatencies.append(drain.wallTime - time)
                }
                described += drain.tasksDescribed
            }
            polls.append(shown.poll)
            applies.append(shown.apply)
            renders.append(shown.render)
            ticks.append(shown.poll + shown.apply + shown.render)
            if shown.grown { grownTicks += 1 }
            if expected == nil, let answer = driver.answer("graph") {
                expected = Int(answer["tasks"] as? Double ?? 0)
                graphSeconds = answer["graph"] as? Double
            }
            if let expected, model.tasksDone - doneBefore >= expected { break }
            next += interval
            sleepUntil(next)
        }
        let shownDone = model.tasksDone - doneBefore
        print(String(format: "cluster latency, round %d: %@ tasks described, %d transitions shown, %d/%@ tasks done on screen, %d ticks (%d with a grown run)",
                     round, "\(described)", latencies.count, shownDone, expected.map(String.init) ?? "?", ticks.count, grownTicks))
        print(String(format: "  transition → frame: p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms (%@)",
                     percentile(latencies, 0.5) * 1e3, percentile(latencies, 0.95) * 1e3, percentile(latencies, 0.99) * 1e3,
                     (latencies.max() ?? .nan) * 1e3, goal("p95 ≤ 150 ms", percentile(latencies, 0.95) <= 0.150)))
        print("  by state: " + byState.sorted { $0.key < $1.key }.map { state, values in
            String(format: "%@ %d, p50 %.0f ms, p95 %.0f ms", state, values.count, percentile(values, 0.5) * 1e3, percentile(values, 0.95) * 1e3)
        }.joined(separator: "; "))
        print(String(format: "  of which transition → drained by poll: p50 %.0f ms, p95 %.0f ms (the plugin's 50 ms batches, the bridge, the 100 ms tick)",
                     percentile(drainLatencies, 0.5) * 1e3, percentile(drainLatencies, 0.95) * 1e3))
        print(String(format: "  tick (poll + model + frame): p50 %.2f ms, p95 %.2f ms, max %.2f ms; poll max %.2f ms, model max %.2f ms, frame max %.2f ms",
                     percentile(ticks, 0.5) * 1e3, percentile(ticks, 0.95) * 1e3, (ticks.max() ?? .nan) * 1e3,
                     (polls.max() ?? .nan) * 1e3, (applies.max() ?? .nan) * 1e3, (renders.max() ?? .nan) * 1e3))
        if let graphSeconds { print(String(format: "  the graph took %.1f s on the cluster", graphSeconds)) }
    }
}

/// The `fraction` quantile of `values` (nearest rank); nan when empty.
private func percentile(_ values: [Double], _ fraction: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    let rank = Int((Double(sorted.count) * fraction).rounded(.up))
    return sorted[max(0, min(sorted.count - 1, rank - 1))]
}

private func sleepUntil(_ deadline: UInt64) {
    let now = DispatchTime.now().uptimeNanoseconds
    if deadline > now { usleep(UInt32(min(1_000_000, (deadline - now) / 1000))) }
}

// MARK: - CPU of `blocktop attach`

private func measureAttachCPU(driver: ClusterDriver, python: String, window: Double = 30) throws {
    let socket = "blocktop-bench-\(getpid())"
    let state = NSTemporaryDirectory() + socket + "-state"
    let python = python.hasPrefix("/") ? python : FileManager.default.currentDirectoryPath + "/" + python
    /// Runs tmux on the benchmark's own server; returns its output.
    @discardableResult
    func tmux(_ arguments: [String]) -> String { runChild(["/usr/bin/tmux", "-L", socket] + arguments).output }
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else {
        print("cluster attach CPU: no tmux")
        return
    }
    let command = "exec env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color XDG_STATE_HOME=\(state) \(blocktopBinary) attach \(driver.scheduler) --python \(python)"
    progress("starting blocktop attach in tmux")
    tmux(["new-session", "-d", "-s", "bench", "-x", "120", "-y", "40", command])
    defer {
        tmux(["send-keys", "-t", "bench", "q"])
        usleep(500_000)
        tmux(["kill-server"])
        try? FileManager.default.removeItem(atPath: state)
        // The server leaves its socket behind.
        let folder = ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp"
        try? FileManager.default.removeItem(atPath: "\(folder)/tmux-\(getuid())/\(socket)")
    }
    guard let pid = Int32(tmux(["list-panes", "-t", "bench", "-F", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)) else {
        print("cluster attach CPU: blocktop did not start in tmux")
        return
    }
    let attached = Date()
    // The dashboard is up once the workers show.
    while Date().timeIntervalSince(attached) < 60 && !tmux(["capture-pane", "-p", "-t", "bench"]).contains("workers") { usleep(100_000) }
    guard let bridge = childProcess(of: pid) else {
        print("cluster attach CPU: blocktop (pid \(pid)) has no bridge child; screen:\n\(tmux(["capture-pane", "-p", "-t", "bench"]))")
        return
    }
    progress("blocktop \(pid), its bridge \(bridge); starting the long computation")
    driver.send("long 50 0.01")
    let tasks = Int(driver.awaitAnswer("long", seconds: 30)?["long"] as? Double ?? 0)
    sleep(5)
    progress("measuring over \(Int(window)) s")
    let first = (blocktop: cpuSeconds(pid), bridge: cpuSeconds(bridge), wall: monotonicSeconds())
    Thread.sleep(forTimeInterval: window)
    let last = (blocktop: cpuSeconds(pid), bridge: cpuSeconds(bridge), wall: monotonicSeconds())
    let seconds = last.wall - first.wall
    let blocktop = (last.blocktop - first.blocktop) / seconds * 100, bridgeCPU = (last.bridge - first.bridge) / seconds * 100
    let screen = tmux(["capture-pane", "-p", "-t", "bench"])
    let header = screen.split(separator: "\n").prefix(2).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " / ")
    print(String(format: "cluster attach CPU (blocktop attach in tmux 120×40, 10 Hz, %d tasks of 10 ms on 2 workers, %.0f s window from 5 s after submit): blocktop %.2f%% of a core (%@), its bridge %.1f%%",
                 tasks, seconds, blocktop, goal("< 2%", blocktop < 2), bridgeCPU))
    print("  the screen's top at the end of the window: \(header)")
    print("  " + loadNote())
    // Let the long computation end before the cluster stops.
    _ = driver.awaitAnswer("long-done", seconds: 120)
}

/// utime + stime of `pid` in seconds, from /proc/PID/stat; 0 when unreadable.
private func cpuSeconds(_ pid: Int32) -> Double {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = text.lastIndex(of: ")") else { return 0 }
    let fields = text[text.index(after: close)...].split(separator: " ")
    // After the command: state (3), ppid (4) … utime (14), stime (15).
    guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// A child process of `pid` (the bridge blocktop started), from /proc/*/stat.
private func childProcess(of pid: Int32) -> Int32? {
    for _ in 0..<100 {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let child = Int32(entry),
                  let text = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = text.lastIndex(of: ")") else { continue }
            let fields = text[text.index(after: close)...].split(separator: " ")
            if fields.count > 1, Int32(fields[1]) == pid { return child }
        }
        usleep(100_000)
    }
    return nil
}

/// What the benchmark is doing, on stderr.
private func progress(_ text: String) {
    FileHandle.standardError.write(Data(("  [" + text + "]\n").utf8))
}

private func monotonicSeconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

// MARK: - The driver

/// Benchmarks/cluster/cluster.py as a child: its cluster's address, commands on its stdin, its
/// JSON answers read on a thread of their own.
private final class ClusterDriver {
    /// The answers read so far and not yet taken.
    private final class Answers: Sendable {
        let list = Mutex<[[String: any Sendable]]>([])
    }

    let scheduler: String
    private let process: Process
    private let input: Pipe
    private let answers = Answers()

    init(python: String) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["Benchmarks/cluster/cluster.py", "2"]
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Children started later (tmux's server) must not hold the driver's stdin open.
        for descriptor in [input.fileHandleForWriting.fileDescriptor, output.fileHandleForReading.fileDescriptor] {
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        let descriptor = output.fileHandleForReading.fileDescriptor
        var buffer: [UInt8] = []
        var line: String?
        var chunk = [UInt8](repeating: 0, count: 4096)
        while line == nil {
            let count = read(descriptor, &chunk, chunk.count)
            guard count > 0 else { break }
            buffer += chunk[..<count]
            if let newline = buffer.firstIndex(of: 10) {
                line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
            }
        }
        guard let line, let object = Self.object(line), let address = object["scheduler"] as? String else {
            process.terminate()
            throw BenchmarkFailure("the cluster driver did not start a cluster")
        }
        scheduler = address
        let answers = self.answers
        let rest = buffer
        Thread {
            var buffer = rest
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                while let newline = buffer.firstIndex(of: 10) {
                    let line = String(decoding: buffer[..<newline], as: UTF8.self)
                    buffer.removeSubrange(...newline)
                    if let object = Self.object(line) { answers.list.withLock { $0.append(object) } }
                }
                let count = read(descriptor, &chunk, chunk.count)
                guard count > 0 else { return }
                buffer += chunk[..<count]
            }
        }.start()
    }

    /// A line's JSON object, its numbers and strings kept.
    private static func object(_ line: String) -> [String: any Sendable]? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
        return object.compactMapValues { value -> (any Sendable)? in
            if let number = value as? NSNumber { return number.doubleValue }
            return value as? String
        }
    }

    func send(_ command: String) {
        input.fileHandleForWriting.write(Data((command + "\n").utf8))
    }

    /// Takes the first answer that has `key`, if one came.
    func answer(_ key: String) -> [String: any Sendable]? {
        answers.list.withLock { list in
            guard let index = list.firstIndex(where: { $0[key] != nil }) else { return nil }
            return list.remove(at: index)
        }
    }

    /// Waits up to `seconds` for an answer with `key` and takes it.
    func awaitAnswer(_ key: String, seconds: Double) -> [String: any Sendable]? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let found = answer(key) { return found }
            usleep(50_000)
        }
        return nil
    }

    /// Ends the driver: the end of its stdin, then SIGTERM (it stops its cluster either way),
    /// SIGKILL as a last resort.
    func stop() {
        try? input.fileHandleForWriting.close()
        for (seconds, signal) in [(20.0, SIGTERM), (15.0, SIGKILL)] {
            let deadline = Date().addingTimeInterval(seconds)
            while process.isRunning && Date() < deadline { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, signal) }
        }
        process.waitUntilExit()
    }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
