/// Where a run stands: the engine reports it, sources pass it on, the dashboard shows it.
public enum RunState: String, Sendable {
    case running, paused, done, failed, cancelled

    /// Whether the run can make no more progress.
    public var isFinal: Bool { outcome != nil }

    /// How the run ended; nil while it can still go on.
    package var outcome: RunOutcome? {
        switch self {
        case .done: .done
        case .failed: .failed
        case .cancelled: .cancelled
        case .running, .paused: nil
        }
    }

    /// How the run counts once no longer watched: a run stopped before its end is cancelled.
    package var outcomeWhenStopped: RunOutcome { outcome ?? .cancelled }
}
