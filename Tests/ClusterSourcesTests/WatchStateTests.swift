import ClusterSources
import DashboardModel
import Foundation
import Testing

/// A watched program's lines (the bridge's watch mode): its thread pool as one worker with a
/// lane per thread, and its exit status from `bye`.
@Suite struct WatchStateTests {
    static let lines = [
        #"{"v":1,"type":"hello","bridge":"1.0","python":"3.11.7","distributed":null,"mode":"watch","scheduler":null,"dashboard":null,"events":"callbacks","reason":null,"program":["python","s.py"],"pid":4242,"time":100.0}"#,
        #"{"v":1,"type":"tasks","tasks":[{"key":"('random_sample-ab', 0, 0)","prefix":"random_sample","group":"random_sample-ab","index":[0,0],"dependencies":[]},{"key":"('random_sample-ab', 0, 1)","prefix":"random_sample","group":"random_sample-ab","index":[0,1],"dependencies":[]}]}"#,
        #"{"v":1,"type":"transitions","events":[{"key":"('random_sample-ab', 0, 0)","state":"memory","worker":null,"thread":7001,"start":100.1,"stop":100.2,"time":100.2},{"key":"('random_sample-ab', 0, 1)","state":"memory","worker":null,"thread":7002,"start":100.1,"stop":100.3,"time":100.3}]}"#,
        #"{"v":1,"type":"bye","reason":"done","exit_status":3}"#,
    ]

    @Test func theProgramsThreadsTakeLanesOfItsOneWorkerAndByeGivesItsExitStatus() throws {
        var state = ClusterState()
        var events: [ActivityEvent] = []
        for line in Self.lines {
            let message = try #require(try BridgeMessage.parse(Array(line.utf8)))
            state.apply(message, now: 5_000_000_000_000, into: &events)
        }
        #expect(state.hello?.pid == 4242)
        #expect(state.workers.map(\.reading.name) == ["pid 4242"])
        #expect(state.laneCount == ProcessInfo.processInfo.activeProcessorCount)
        let lanes = events.filter { $0.kind == .finished }.map(\.worker)
        #expect(lanes == (state.laneCount > 1 ? [0, 1] : [0, 0]))
        #expect(state.counts(ofPrefix: "random_sample").done == 2)
        #expect(state.exitStatus == 3 && state.ended == "done")
    }
}
