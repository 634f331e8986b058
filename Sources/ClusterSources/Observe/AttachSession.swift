import BlocktopSupport
import Runs

/// `blocktop attach`'s session: a Dask cluster watched through the bridge or the scheduler's HTTP
/// server, whatever it runs and whoever submitted it, until the scheduler goes away.
package final class AttachSession: ObservedCluster {
    package let source: ClusterSource
    package let feed: any ClusterFeed
    package let notice: String?
    package let started = monotonicNanoseconds()
    /// The scheduler as the user named it.
    private let address: String
    private let scheduler: String?
    private let events: TaskEvents

    /// Watches the cluster `feed` reads, which the user named `address`; `scheduler` is its comm
    /// address when known, `events` where the task news comes from, `notice` how it is watched
    /// when not through the bridge's per-task events.
    package init(feed: any ClusterFeed, address: String, scheduler: String?, events: TaskEvents, notice: String?) {
        self.feed = feed
        self.address = address
        self.scheduler = scheduler
        self.events = events
        self.notice = notice
        let mode = switch events {
        case .plugin, .callbacks: ""
        case .http: " · over HTTP only"
        case .none: " · counts only"
        }
        source = ClusterSource(feed: feed, title: "cluster \(scheduler ?? address)\(mode)", notice: notice)
    }

    /// Connects to the scheduler at `address`, which the user named `name`: through the bridge on
    /// `python` (found from `executable`, given the `tls` files) unless `httpOnly`, else, saying
    /// why, its HTTP server. Throws bad input (a `--python` that is not there), or a failure when
    /// neither reaches the scheduler.
    package static func open(_ address: ClusterAddress, named name: String, httpOnly: Bool, python: String?, tls: TLSFiles,
                             executable: String) throws(RunProblem) -> AttachSession {
        do throws(ClusterConnectionError) {
            let connection = try ClusterConnection.open(address, httpOnly: httpOnly, python: python, tls: tls, executable: executable)
            return AttachSession(feed: connection.feed, address: name, scheduler: connection.scheduler, events: connection.events,
                                 notice: connection.notice)
        } catch .badInput(let why) {
            throw RunProblem(why, badInput: true)
        } catch {
            throw RunProblem("cannot watch the cluster at \(name): \(error)", badInput: false)
        }
    }

    /// That the scheduler went away, and why, in one line.
    package var goneMessage: String {
        "the scheduler at \(address) went away: \(source.state.ended ?? "the connection closed")"
    }

    /// What was seen so far.
    package func summary() -> ClusterSummary {
        ClusterSummary(source.state, events: events, scheduler: scheduler, notice: notice, seconds: seconds)
    }

    /// Stops watching: the bridge, or the HTTP poller, stops.
    package func end() {
        source.stop()
    }
}
