import BlocktopSupport

/// How a run ended, as reports, tables and exit statuses name it.
package enum RunOutcome: String, Sendable, Equatable {
    case done, failed, cancelled
}

extension ExitStatus {
    /// The status of a run that ended with `outcome`.
    package init(_ outcome: RunOutcome) {
        switch outcome {
        case .done: self = .success
        case .failed: self = .failure
        case .cancelled: self = .cancelled
        }
    }
}
