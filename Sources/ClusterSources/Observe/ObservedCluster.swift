import BlocktopSupport
import DashboardModel
import Runs

/// A cluster or program that blocktop only watches, as a session: the dashboard polls its
/// `ClusterSource`; a headless command advances it at the loop's pace, waking at once when the
/// feed ends. The dashboard's calls go to the source, which neither pauses nor resumes: what is
/// watched is not blocktop's to stop.
package protocol ObservedCluster: ObservedSession, SessionOverSource where Source == ClusterSource {
    /// Where the source's news comes from.
    var feed: any ClusterFeed { get }
    /// When the watch began, in monotonic nanoseconds.
    var started: UInt64 { get }
}

extension ObservedCluster {
    /// Whether the feed ended (the scheduler went away, the program and its bridge exited).
    package var hasEnded: Bool { source.state.ended != nil }

    /// Seconds since the watch began.
    package var seconds: Double { Double(monotonicNanoseconds() - started) / 1e9 }

    package var headlessProgress: HeadlessProgress {
        HeadlessProgress(done: source.state.tasks.count(where: \.done), total: source.state.tasks.count, seconds: seconds)
    }

    /// Waits up to `seconds` for the feed to end, then takes in what came (one poll: readings
    /// keep the loop's pace, not the news'), and says whether the feed ended.
    package func advance(waitingUpTo seconds: Double) -> Bool {
        feed.awaitEnd(seconds: seconds)
        _ = poll()
        return hasEnded
    }
}
