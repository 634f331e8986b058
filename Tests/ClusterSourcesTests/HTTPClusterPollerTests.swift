import ClusterSources
import Testing

/// The HTTP poller's thread ends at `stop()`, even in a long wait between two reads.
@Suite struct HTTPClusterPollerTests {
    @Test func stopEndsTheWaitBetweenReads() {
        // Nothing listens on the discard port: the first read fails, then the poller waits an hour.
        let poller = HTTPClusterPoller(host: "127.0.0.1", port: 9, interval: 3600)
        #expect(!poller.awaitStopped(seconds: 0))
        poller.stop()
        #expect(poller.awaitStopped(seconds: 60))
        #expect(poller.drain().ended == nil)
    }
}
