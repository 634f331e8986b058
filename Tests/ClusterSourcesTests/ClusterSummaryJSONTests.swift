import BlocktopSupport
import ClusterSources
import DashboardModel
import Foundation
import Testing

/// `attach --headless`'s JSON: snake_case keys in sorted order, absent values left out.
@Suite struct ClusterSummaryJSONTests {
    @Test func keysAreSnakeCaseSortedAndAbsentValuesLeftOut() throws {
        var state = ClusterState()
        var events: [ActivityEvent] = []
        state.apply(.progress(time: nil, prefixes: ["sum": ["total": 4, "memory": 3, "processing": 1, "erred": 0]]), now: 1, into: &events)
        let summary = ClusterSummary(state, events: .http, scheduler: nil, notice: "no bridge", seconds: 1.5)
        let document = try #require(JSON.parse(Array(summary.json.utf8)))
        guard case .object(let members) = document else {
            Issue.record("not an object: \(summary.json)")
            return
        }
        let keys = members.map(\.0)
        #expect(keys == keys.sorted())
        #expect(Set(keys) == ["cpu_percent", "erred", "events", "notice", "prefixes", "recomputed", "seconds", "skipped_lines",
                              "tasks", "threads", "workers", "workers_present"])
        #expect(document["events"] == .string("http") && document["notice"] == .string("no bridge"))
        #expect(document["seconds"] == .number(1.5))
        #expect(document["prefixes"]?["sum"]?["done"]?.integer == 3 && document["tasks"]?["total"]?.integer == 4)
        #expect(document["tasks"]?["states"]?["processing"]?.integer == 1)
    }
}
