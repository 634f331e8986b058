import DashboardModel

/// A session that shows the dashboard one source of its own: the dashboard's calls (its run,
/// polls, pause, resume, cancel, what it can do) go to that source.
package protocol SessionOverSource: DashboardSource {
    associatedtype Source: DashboardSource
    /// The source the dashboard's calls go to.
    var source: Source { get }
}

extension SessionOverSource {
    package var run: RunDescription { source.run }
    package func poll() -> SourceUpdate { source.poll() }
    package func pause() { source.pause() }
    package func resume() { source.resume() }
    package func cancel() { source.cancel() }
    package var capabilities: SourceCapabilities { source.capabilities }
    package func refusal(of capability: SourceCapabilities) -> String { source.refusal(of: capability) }
}
