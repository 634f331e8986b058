import ClusterSources
import Dashboard
import DashboardModel
import Foundation
import Testing

/// The hosts' cores from the worker plugin's `cores`: one set per host however many workers
/// share it, a bar per worker where a host has no reading; a 2-core cluster (recorded from a
/// real one) and clusters of many hosts or many cores both fit the band.
@Suite struct HostCoresTests {
    /// A `workers` line; a worker is (address, host, threads, cpu, its host's cores or nil).
    static func workersLine(_ workers: [(address: String, host: String, threads: Int, cpu: Double, cores: [Double]?)],
                            time: Double = 1000) -> String {
        let entries = workers.map { worker in
            let cores = worker.cores.map { "[" + $0.map { "\($0)" }.joined(separator: ",") + "]" } ?? "null"
            return #"{"address":"tcp://\#(worker.address)","name":"\#(worker.address)","host":"\#(worker.host)","nthreads":\#(worker.threads),"#
                + #""memory_limit":4000000000,"memory":100000000,"cpu":\#(worker.cpu),"executing":1,"ready":0,"in_memory":0,"cores":\#(cores)}"#
        }
        return #"{"v":1,"type":"workers","time":\#(time),"workers":[\#(entries.joined(separator: ","))]}"#
    }

    func state(_ lines: [String]) throws -> ClusterState {
        var state = ClusterState()
        var events: [ActivityEvent] = []
        for line in lines { state.apply(try #require(try BridgeMessage.parse(Array(line.utf8))), now: 0, into: &events) }
        return state
    }

    /// The frame after a poll per line of `lines`.
    func frame(_ lines: [String], width: Int = 120, height: Int = 40) -> [String] {
        let source = ClusterSource(feed: RecordedFeed(lines: lines), title: "cluster")
        var model = DashboardModel(run: source.run, capabilities: source.capabilities)
        for _ in lines { model.apply(source.poll()) }
        return DashboardView(model: model, state: ViewState(theme: .standard, glyphs: .unicode)).render(width: width, height: height).lines
    }

    @Test func aHostsCoresAreOneSetForItsWorkersAndAHostWithoutThemHasABarPerWorker() throws {
        let state = try state([Self.workersLine([("a:1", "a", 1, 90, [10, 90]), ("a:2", "a", 1, 80, [12, 92]), ("b:1", "b", 2, 150, nil)])])
        let cores = state.machineReading.cores
        // Host a: its two cores once, from its first worker; host b: its one worker's CPU over its 2 threads.
        #expect(cores == [CoreLoad(own: 10, others: 0), CoreLoad(own: 90, others: 0), CoreLoad(own: 75, others: 0)])
        // a:1 leaves: a's cores come from a:2, which is still there.
        let after = try self.state([Self.workersLine([("a:1", "a", 1, 90, [10, 90]), ("a:2", "a", 1, 80, [12, 92]), ("b:1", "b", 2, 150, nil)]),
                                    Self.workersLine([("a:2", "a", 1, 80, [12, 92]), ("b:1", "b", 2, 150, nil)], time: 1001)])
        #expect(after.machineReading.cores.map { $0?.own } == [12, 92, 75])
    }

    @Test func aTwoCoreHostShowsItsTwoCoresOnceWithItsWorkersFiguresUnder() throws {
        // The recorded cluster once both workers read their host's cores (100% busy: other builds ran).
        let lines = frame(Array(try Fixture.lines("worker-killed.jsonl").prefix(6)))
        let text = lines.joined(separator: "\n")
        #expect(text.contains("workers (2 on 1 host)"), "\(text)")
        let host = try #require(lines.firstIndex { $0.contains("127.0.0.1  2 workers · 2 threads · 2 cores · CPU 4%") }, "\(text)")
        // The next row holds both cores' bars with their %, side by side.
        let cores = lines[host + 1]
        #expect(cores.contains("0 ████") && cores.contains("1 ████") && cores.components(separatedBy: "100%").count == 3, "\(text)")
        // Then a row per worker, its figures without a bar of its own.
        for worker in ["w0", "w1"] {
            let row = try #require(lines.first { $0.contains("  \(worker) ") }, "\(text)")
            #expect(row.contains("2%") && row.contains("▶0") && !row.contains("█") && !row.contains("─"), "\(row)")
        }
    }

    @Test func hostsWithManyCoresGetCompactBarsAndAHostWithoutCoresKeepsItsWorkerBars() throws {
        let busy = (0..<64).map { Double($0 % 4 * 25) }
        let line = Self.workersLine([("big1:1", "big1", 8, 400, busy), ("big2:1", "big2", 8, 400, busy), ("small:1", "small", 1, 50, nil)])
        let lines = frame([line], width: 200, height: 60)
        let text = lines.joined(separator: "\n")
        for host in ["big1  1 worker · 8 threads · 64 cores · CPU 400%", "big2  1 worker · 8 threads · 64 cores · CPU 400%",
                     "small  1 worker · 1 threads · CPU 50%"] {
            #expect(text.contains(host), "\(text)")
        }
        // All 64 cores of a big host are labelled, on fewer rows than the 16 that bars with a % would take.
        let big = try #require(lines.firstIndex { $0.contains("big1  ") })
        // The band's part of the rows, right of the process CPU box (34 columns wide).
        let rows = lines[(big + 1)...].prefix { !$0.contains("big1:1") }.map { String($0.dropFirst(34)) }
        #expect(rows.count < 16 && rows.contains { $0.contains("63 ") } && !rows.joined().contains("%"), "\(text)")
        // On a smaller screen they are a level glyph each, on one row.
        let small = frame([line], width: 120, height: 40)
        let glyphs = try #require(small.firstIndex { $0.contains("big1  ") }).advanced(by: 1)
        #expect(small[glyphs].contains(String(repeating: "▁▂▄▆", count: 16)) && small[glyphs + 1].contains("big1:1"),
                "\(small.joined(separator: "\n"))")
        // The host without cores: its worker's bar, half full.
        let worker = try #require(lines.first { $0.contains("small:1") })
        #expect(worker.contains("█") && worker.contains("─") && worker.contains("50%"), "\(worker)")
    }

    @Test func manyHostsTakeARowEachAndTheOnesThatDoNotFitAreCounted() throws {
        let hosts = (0..<20).map { "10.0.0.\($0)" }
        let line = Self.workersLine(hosts.flatMap { host in
            [("\(host):1", host, 4, 200, [100, 0, 50, 75] as [Double]?), ("\(host):2", host, 4, 100, [100, 0, 50, 75])]
        })
        let lines = frame([line], width: 120, height: 40)
        let text = lines.joined(separator: "\n")
        #expect(text.contains("workers (40 on 20 hosts)"), "\(text)")
        // The band has 12 rows inside: 11 hosts, each with its cores as level glyphs, then the rest counted.
        let rows = lines.filter { $0.contains("2 workers · 8 threads · 4 cores · CPU 300%") }
        #expect(rows.count == 11, "\(text)")
        #expect(rows.allSatisfy { $0.contains("█▁▄▆") }, "\(text)")
        #expect(text.contains("… 9 more hosts"), "\(text)")
        // On a taller screen every host has its row, and the workers still give way to them.
        let tall = frame([line], width: 120, height: 80).joined(separator: "\n")
        #expect(!tall.contains("more hosts") && !tall.contains("10.0.0.0:1"), "\(tall)")
        #expect(tall.contains("10.0.0.19  2 workers"), "\(tall)")
    }
}
