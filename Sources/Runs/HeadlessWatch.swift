import Foundation
import Reporting

/// What a headless command does with a session: waits for its end, drawing a progress line.
package enum HeadlessWatch {
    /// Advances `session` until it ends, or `interrupted()` (then cancels it and returns); draws a
    /// progress line on stderr every `interval` seconds when `progress`.
    package static func watch(_ session: any RunSession, progress: Bool, interval: Double = 0.1,
                             interrupted: () -> Bool) {
        let line = ProgressLine()
        var ended = false
        while !ended && !interrupted() {
            ended = session.advance(waitingUpTo: interval)
            if progress { draw(line, session.headlessProgress) }
        }
        if progress {
            draw(line, session.headlessProgress)
            FileHandle.standardError.write(Data("\n".utf8))
        }
    }

    private static func draw(_ line: ProgressLine, _ progress: HeadlessProgress) {
        FileHandle.standardError.write(Data(line.render(done: progress.done, total: progress.total, seconds: progress.seconds).utf8))
    }
}
