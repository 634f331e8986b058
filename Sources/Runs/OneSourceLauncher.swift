import DashboardModel
import RunVocabulary

/// The dashboard's launcher for something only watched (a cluster, a program): the one source
/// there is; the keys that start runs (r, [, ], :) have nothing to start.
package final class OneSourceLauncher: RunLauncher {
    private let source: any DashboardSource
    private let watching: String
    private var started = false

    /// Hands the dashboard `source`; `watching` names what it is ("a cluster") for the keys that start runs.
    package init(_ source: any DashboardSource, watching: String) {
        self.source = source
        self.watching = watching
    }

    package func prepare(_ settings: RunSettings) throws -> PreparedRun {
        guard !started else { throw NothingToStart(watching: watching) }
        started = true
        return PreparedRun { [source] in source }
    }
}

/// What the keys that start runs say while something is only watched.
package struct NothingToStart: Error, CustomStringConvertible {
    /// What is watched: "a cluster".
    package let watching: String

    package init(watching: String) {
        self.watching = watching
    }

    package var description: String { "watching \(watching): blocktop starts no runs on it" }
}
