import DashboardModel
import RunVocabulary

/// The dashboard's launcher for something only watched (a cluster, a program): the one source
/// there is. The dashboard refuses the keys that start runs (r, [, ], :) by the source's
/// capabilities; a later `prepare` throws the source's own refusal.
package final class OneSourceLauncher: RunLauncher {
    private let source: any DashboardSource
    private var started = false

    /// Hands the dashboard `source`, once.
    package init(_ source: any DashboardSource) {
        self.source = source
    }

    package func prepare(_ settings: RunSettings) throws -> PreparedRun {
        guard !started else { throw NothingToStart(description: source.refusal(of: .newRuns)) }
        started = true
        return PreparedRun { [source] in source }
    }
}

/// A run asked of a launcher that has nothing more to start, with the source's reason.
package struct NothingToStart: Error, CustomStringConvertible {
    package let description: String
}
