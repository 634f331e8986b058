/// blocktop's exit statuses, one list for every command.
package struct ExitStatus: RawRepresentable, Sendable, Equatable, CustomStringConvertible {
    package var rawValue: Int32

    package init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// The run finished.
    package static let success = ExitStatus(rawValue: 0)
    /// The run failed (a task threw), or the runs of a sweep disagree.
    package static let failure = ExitStatus(rawValue: 1)
    /// The run was cancelled, or quit before its end.
    package static let cancelled = ExitStatus(rawValue: 3)
    /// Bad input: arguments, expressions, themes, a terminal that cannot show the dashboard (EX_USAGE).
    package static let badInput = ExitStatus(rawValue: 64)
    /// The report could not be written (EX_IOERR).
    package static let reportUnwritten = ExitStatus(rawValue: 74)

    /// 128 + n: ended by signal n (130 SIGINT, 143 SIGTERM, 129 SIGHUP).
    package static func signal(_ number: Int32) -> ExitStatus {
        ExitStatus(rawValue: 128 + number)
    }

    package var description: String { "\(rawValue)" }
}
