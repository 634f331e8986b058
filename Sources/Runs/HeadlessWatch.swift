import BlocktopSupport
import Foundation
import Reporting

/// What a headless command does with a session (a run, or a cluster or program it observes):
/// waits for its end, drawing a progress line.
package enum HeadlessWatch {
    /// Why the watch stopped.
    package enum Ending: Equatable, Sendable {
        /// The session ended (the run, the program, or the cluster went away).
        case ended
        /// `interrupted()` said so (SIGINT, SIGTERM).
        case interrupted
        /// The seconds it was to last passed (`attach --for`).
        case timeUp
    }

    /// Advances `session` until it ends, `interrupted()`, or `seconds` pass (nil: no limit); draws
    /// a progress line on stderr every `interval` seconds when `progress`. A run interrupted is
    /// left to its `finish`, which cancels it.
    @discardableResult
    package static func watch(_ session: any ObservedSession, progress: Bool, interval: Double = 0.1, for seconds: Double? = nil,
                              interrupted: () -> Bool) -> Ending {
        let line = ProgressLine()
        let deadline = seconds.map { monotonicNanoseconds() &+ UInt64(max(0, min($0, 1e9)) * 1e9) }
        while true {
            let remaining = deadline.map { Double($0 - min($0, monotonicNanoseconds())) / 1e9 } ?? .infinity
            let ending: Ending? = if interrupted() {
                .interrupted
            } else if remaining <= 0 {
                .timeUp
            } else {
                session.advance(waitingUpTo: min(interval, remaining)) ? .ended : nil
            }
            if progress { draw(line, session.headlessProgress) }
            if let ending {
                if progress { FileHandle.standardError.write(Data("\n".utf8)) }
                return ending
            }
        }
    }

    private static func draw(_ line: ProgressLine, _ progress: HeadlessProgress) {
        FileHandle.standardError.write(Data(line.render(done: progress.done, total: progress.total, seconds: progress.seconds).utf8))
    }
}
