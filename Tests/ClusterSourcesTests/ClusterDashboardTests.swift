import ClusterSources
import Dashboard
import DashboardModel
import Testing

/// A watched cluster's frame: its workers grouped by host in place of the cores, its task
/// prefixes as operations, an erred task in the header.
@Suite struct ClusterDashboardTests {
    func frame(after lines: Int, width: Int = 120, height: Int = 40) throws -> [String] {
        let recorded = try Fixture.lines("attach-session.jsonl")
        let source = ClusterSource(feed: RecordedFeed(lines: Array(recorded.prefix(lines))), title: "cluster tcp://127.0.0.1:8786")
        var model = DashboardModel(run: source.run, capabilities: source.capabilities)
        for _ in 0..<lines { model.apply(source.poll()) }
        return DashboardView(model: model, state: ViewState(theme: .standard, glyphs: .unicode)).render(width: width, height: height).lines
    }

    @Test func workersAreGroupedByHostWithTheirCPUMemoryAndTasks() throws {
        let lines = try frame(after: 11)
        let text = lines.joined(separator: "\n")
        #expect(text.contains("workers (2 on 3 hosts)"), "\(text)")
        #expect(lines.contains { $0.contains("127.0.0.2  1 worker · 2 threads · CPU 120%") }, "\(text)")
        #expect(lines.contains { $0.contains("  0 gone") }, "\(text)")
        #expect(lines.contains { $0.contains("  1 ███") && $0.contains("120%") && $0.contains("250 MB ▶0") }, "\(text)")
        #expect(lines.contains { $0.contains("  2 ██") && $0.contains("10%") && $0.contains("90 MB ▶0") }, "\(text)")
        #expect(!text.contains("oversubscribed"), "\(text)")
        #expect(text.contains("erred ('random_sample-5b2f', 1, 1): ZeroDivisionError('division by zero')"), "\(text)")
        #expect(text.contains("random_sample") && text.contains("sum-aggregate"), "\(text)")
        #expect(!text.contains("array "), "\(text)")
        // The cluster's memory is its workers', against their limits; its tasks have no flop counts to show.
        #expect(text.contains("workers' memory  340 MB / 8.0 GB"), "\(text)")
        #expect(!text.contains("RSS") && !text.contains("GFLOP/s"), "\(text)")
    }

    /// An attached cluster is only watched: the footer offers no key that would pause, cancel or
    /// start work on it, and such a key says why.
    @Test func anAttachedClusterOffersOnlyTheKeysItCanDo() throws {
        let source = ClusterSource(feed: RecordedFeed(lines: []), title: "cluster tcp://127.0.0.1:8786")
        #expect(source.capabilities == .clusterWorkers)
        #expect(source.refusal(of: .newRuns) == "watching a cluster: blocktop starts no runs on it")
        let footer = try #require(try frame(after: 11).last)
        #expect(footer.hasPrefix(" q quit  t theme  h help  "), "\(footer)")
    }
}
