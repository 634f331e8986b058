import BlocktopSupport
import Foundation

/// A cluster read from its scheduler's HTTP server alone, for when no bridge can run: per
/// prefix progress from the scheduler's `/metrics`, the workers from `/info/main/workers.html`,
/// and each worker's threads, memory, executing tasks and CPU% from its own `/metrics`.
///
/// Reads on a thread of its own every `interval` seconds and posts what it read as protocol
/// messages (`progress`, `workers`), so the cluster source treats both feeds alike.
public final class HTTPClusterPoller: ClusterFeed {
    private let host: String
    private let port: Int
    private let interval: Double
    private let inbox = FeedInbox()
    /// Opened by `stop()`; the wait between two reads ends at it.
    private let stopped = Latch()
    /// Opened when the reading thread ended: stopped, or the feed ended.
    private let finished = Latch()
    /// A scheduler that fails this many reads in a row is gone.
    static let failuresToGiveUp = 3

    /// Starts reading the scheduler whose HTTP server is `host`:`port`.
    public init(host: String, port: Int, interval: Double = 1) {
        self.host = host
        self.port = port
        self.interval = interval
        Thread { [self] in poll() }.start()
    }

    /// The scheduler's comm address as its workers page names it; throws when the server does
    /// not answer or the page is not a Dask scheduler's.
    public static func schedulerAddress(host: String, port: Int) throws(HTTPError) -> String {
        let response = try HTTPGet.fetch(host: host, port: port, path: "/info/main/workers.html")
        guard response.status == 200, let address = WorkersPage(parsing: response.text).scheduler else {
            throw .io(host: host, port: port, "no Dask scheduler's workers page (status \(response.status))")
        }
        return address
    }

    public func drain() -> FeedBatch { inbox.drain() }
    public func awaitNews(seconds: Double) { inbox.awaitNews(seconds: seconds) }
    public func awaitEnd(seconds: Double) { inbox.awaitEnd(seconds: seconds) }

    public func stop() { stopped.open() }

    /// Blocks until the reading thread ended (it ends at `stop()` or with the feed), up to
    /// `seconds`; returns whether it did.
    package func awaitStopped(seconds: Double) -> Bool { finished.wait(seconds: seconds) }

    private func poll() {
        defer { finished.open() }
        var failures = 0
        var cpuTimes: [String: (seconds: Double, at: UInt64)] = [:]
        while !stopped.isOpen {
            let began = monotonicNanoseconds()
            do {
                let metrics = try HTTPGet.fetch(host: host, port: port, path: "/metrics")
                guard metrics.status == 200 else { throw HTTPError.io(host: host, port: port, "/metrics answered \(metrics.status)") }
                let text = PrometheusText(parsing: metrics.text)
                guard !text.samples.isEmpty else {
                    inbox.end("the scheduler's /metrics at \(host):\(port) is empty: prometheus_client is missing on the scheduler "
                              + "(python3 -m pip install prometheus_client there)")
                    return
                }
                inbox.post(.progress(time: nil, prefixes: Self.prefixes(text)))
                let page = try HTTPGet.fetch(host: host, port: port, path: "/info/main/workers.html")
                inbox.post(.workers(time: 0, WorkersPage(parsing: page.text).workers.map { readWorker($0, cpuTimes: &cpuTimes) },
                                     completesSet: true))
                failures = 0
            } catch {
                failures += 1
                if failures >= Self.failuresToGiveUp {
                    inbox.end("the scheduler's HTTP server stopped answering: \(error)")
                    return
                }
            }
            stopped.wait(seconds: interval - Double(monotonicNanoseconds() - began) / 1e9)
        }
    }

    /// Per prefix, from the scheduler's accumulated counts of tasks entering each state: all
    /// (every task enters `waiting`), done (`memory`), erred, and processing now.
    package static func prefixes(_ text: PrometheusText) -> [String: [String: Int]] {
        var entered: [String: [String: Int]] = [:]
        for sample in text.samples(named: "dask_scheduler_prefix_state_totals_total") {
            guard let prefix = sample.labels["task_prefix_name"], let state = sample.labels["state"] else { continue }
            entered[UntrustedText.clean(prefix), default: [:]][state] = UntrustedNumber.clamped(sample.value, to: UntrustedNumber.countLimit)
        }
        return entered.mapValues { states in
            let done = states["memory", default: 0], erred = states["erred", default: 0]
            return ["total": states["waiting", default: 0], "memory": done, "erred": erred,
                    "processing": max(0, states["processing", default: 0] - done - erred)]
        }
    }

    /// One worker from the scheduler's page, with what its own `/metrics` says when it answers.
    private func readWorker(_ listed: WorkersPage.Worker, cpuTimes: inout [String: (seconds: Double, at: UInt64)]) -> BridgeMessage.Worker {
        var worker = BridgeMessage.Worker(address: listed.address, name: listed.name, host: listed.httpHost ?? host,
                                          threads: listed.threads, memoryLimit: listed.memoryLimit, memory: 0, cpu: 0,
                                          executing: 0, ready: 0, inMemory: 0, cores: nil)
        guard let port = listed.httpPort,
              let response = try? HTTPGet.fetch(host: listed.httpHost ?? host, port: port, path: "/metrics", timeout: 1),
              response.status == 200 else { return worker }
        let text = PrometheusText(parsing: response.text)
        func count(_ value: Double?) -> Int { UntrustedNumber.clamped(value ?? 0, to: UntrustedNumber.byteLimit) }
        worker.threads = UntrustedNumber.clamped(text.value("dask_worker_threads") ?? 0, to: UntrustedNumber.threadLimit).nonZero ?? listed.threads
        worker.memory = count(text.value("dask_worker_memory_bytes", ["type": "managed"]))
            + count(text.value("dask_worker_memory_bytes", ["type": "unmanaged"]))
        worker.executing = count(text.value("dask_worker_tasks", ["state": "executing"]))
        worker.ready = count(text.value("dask_worker_tasks", ["state": "ready"]))
        worker.inMemory = count(text.value("dask_worker_tasks", ["state": "memory"]))
        if let seconds = text.value("process_cpu_seconds_total") {
            let now = monotonicNanoseconds()
            if let previous = cpuTimes[listed.address], now > previous.at {
                worker.cpu = max(0, (seconds - previous.seconds) / (Double(now - previous.at) / 1e9) * 100)
            }
            cpuTimes[listed.address] = (seconds, now)
        }
        return worker
    }
}

extension Int {
    fileprivate var nonZero: Int? { self == 0 ? nil : self }
}
