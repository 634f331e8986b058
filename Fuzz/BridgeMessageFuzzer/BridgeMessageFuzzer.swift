import ClusterSources
import DashboardModel

/// libFuzzer entry point for the bridge's JSON lines (`make fuzz`).
///
/// The input is a stream of lines, as blocktop reads the bridge's stdout: each line is parsed,
/// and what parses is applied to a cluster's state, which is then described as the dashboard
/// and the headless summary see it, and tallied as a launched run's figures. A
/// `BridgeLineError` is the expected answer to a bad line; a trap or crash is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBridgeLines(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard size <= 4096 else { return -1 }
    var splitter = LineSplitter(limit: 1024)
    var state = ClusterState()
    var tally = ClusterRunTally()
    for line in splitter.feed(UnsafeBufferPointer(start: data, count: size)) + splitter.feed([UInt8(ascii: "\n")]) {
        guard case .text(let text) = line else { continue }
        do throws(BridgeLineError) {
            if let message = try BridgeMessage.parse(text) {
                var events: [ActivityEvent] = []
                state.apply(message, now: 1_000_000_000, into: &events)
                tally.add(state, now: 1_000_000_000)
            }
        } catch {
            _ = error.description
        }
    }
    _ = state.runDescription(title: "fuzz")
    _ = state.machineReading
    _ = state.runState
    _ = (tally.cpuPercent, tally.parallelEfficiency)
    _ = ClusterSummary(state, events: .plugin, scheduler: nil, notice: nil, seconds: 0)
    return 0
}
