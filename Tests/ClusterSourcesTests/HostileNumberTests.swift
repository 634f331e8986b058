import ClusterSources
import DashboardModel
import Testing

/// Numbers from a cluster near Int.max, or state names that collide once cut, are held within
/// bounds: applying them, describing the run and summing the workers does not trap.
@Suite struct HostileNumberTests {
    /// Parses `lines` and applies them to a fresh state, as the reading thread and the dashboard do.
    func state(after lines: [String]) throws -> ClusterState {
        var state = ClusterState()
        var events: [ActivityEvent] = []
        for line in lines {
            if let message = try BridgeMessage.parse(Array(line.utf8)) { state.apply(message, now: 1_000_000_000, into: &events) }
        }
        return state
    }

    @Test func workersWithAbsurdThreadsAndMemoryAddUpWithoutOverflow() throws {
        let worker = #"{"address":"tcp://10.0.0.%d:1","nthreads":9223372036854775807,"memory_limit":9223372036854775807,"memory":9223372036854775807,"executing":9223372036854775807,"ready":9223372036854775807,"in_memory":9223372036854775807}"#
        let line = #"{"v":1,"type":"workers","time":1.0,"workers":["# + [1, 2].map { worker.replacingOccurrences(of: "%d", with: "\($0)") }
            .joined(separator: ",") + "]}"
        let state = try state(after: [line])
        #expect(state.threads == 2 * UntrustedNumber.threadLimit)
        let reading = state.machineReading
        #expect(reading.clusterWorkers?.count == 2)
        #expect(reading.clusterWorkers?.allSatisfy { $0.threads == UntrustedNumber.threadLimit } == true)
        _ = ClusterSummary(state, events: .plugin, scheduler: nil, notice: nil, seconds: 1).text
    }

    @Test func progressCountsNearIntMaxAndStateNamesThatCollideOnceCutStayBounded() throws {
        let long = String(repeating: "s", count: 200)
        let line = #"{"v":1,"type":"progress","time":1.0,"prefixes":{"p":{"total":9223372036854775807,"memory":9223372036854775807,"# +
            #""\#(long)a":9223372036854775807,"\#(long)b":9223372036854775807,"processing":9223372036854775807}}}"#
        guard case .progress(_, let prefixes)? = try BridgeMessage.parse(Array(line.utf8)) else {
            Issue.record("the progress line did not parse")
            return
        }
        #expect(prefixes["p"]?.values.allSatisfy { $0 <= UntrustedNumber.countLimit } == true)
        #expect(prefixes["p"]?.count == 4)
        let state = try state(after: [line])
        // Stand-in tasks for counts are capped; the run can be described.
        #expect(state.tasks.count == 1 << 20)
        _ = state.runDescription(title: "hostile")
    }

    @Test func aBlockIndexPastWhatAGridCanHoldIsNoGridAndNoTrap() throws {
        let line = #"{"v":1,"type":"tasks","tasks":[{"key":"a","prefix":"x","group":"x-1","index":[9223372036854775807]},{"key":"b","prefix":"x","group":"x-1","index":[0]}]}"#
        let state = try state(after: [line])
        #expect(state.tasks.map(\.index) == [[], [0]])
        _ = state.runDescription(title: "hostile")
    }

    @Test func theSaturatingSumStopsAtIntMax() {
        #expect(UntrustedNumber.saturatingSum([Int.max, 1, 5]) == Int.max)
        #expect(UntrustedNumber.saturatingSum([3, 4]) == 7)
        #expect(UntrustedNumber.clamped(Double.nan, to: 10) == 0 && UntrustedNumber.clamped(1e300, to: 10) == 10)
    }
}
