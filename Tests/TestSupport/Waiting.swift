import Foundation

/// A condition a test waited on did not hold before its deadline.
package struct DeadlinePassed: Error, CustomStringConvertible {
    /// What the test waited for, and what it saw last.
    package let description: String
}

/// Polls `condition` every `interval` until it holds; throws `DeadlinePassed` naming `what`
/// (and `lastSeen`, if given) once `deadline` passes without it holding.
///
/// The way to wait before acting: on a line on the screen, a file appearing, a counter,
/// a process state, never on a fixed sleep.
package func waitUntil(deadline: ContinuousClock.Instant, every interval: Duration = .milliseconds(20),
                       _ what: @autoclosure () -> String, lastSeen: () -> String = { "" },
                       _ condition: () throws -> Bool) throws {
    while true {
        if try condition() { return }
        guard ContinuousClock.now < deadline else {
            let seen = lastSeen()
            throw DeadlinePassed(description: "gave up waiting for \(what())" + (seen.isEmpty ? "" : "; last seen:\n\(seen)"))
        }
        Thread.sleep(forTimeInterval: interval.seconds)
    }
}

/// `waitUntil(deadline:)` with a deadline `timeout` from now (30 s unless given).
package func waitUntil(within timeout: Duration = .seconds(30), every interval: Duration = .milliseconds(20),
                       _ what: @autoclosure () -> String, lastSeen: () -> String = { "" },
                       _ condition: () throws -> Bool) throws {
    try waitUntil(deadline: .now + timeout, every: interval, what(), lastSeen: lastSeen, condition)
}

/// Polls `produce` until it returns a value and returns that value; throws `DeadlinePassed`
/// naming `what` once `timeout` passes.
package func waitForValue<Value>(within timeout: Duration = .seconds(30), every interval: Duration = .milliseconds(20),
                                 _ what: @autoclosure () -> String, lastSeen: () -> String = { "" },
                                 _ produce: () throws -> Value?) throws -> Value {
    var value: Value?
    try waitUntil(within: timeout, every: interval, what(), lastSeen: lastSeen) {
        value = try produce()
        return value != nil
    }
    return value!
}

/// The async form of `waitUntil(within:)`, for async tests: suspends between polls.
package func waitUntil(within timeout: Duration = .seconds(30), every interval: Duration = .milliseconds(20),
                       _ what: @autoclosure () -> String, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return }
        guard ContinuousClock.now < deadline else { throw DeadlinePassed(description: "gave up waiting for \(what())") }
        try await Task.sleep(for: interval)
    }
}

/// Whether `condition` holds at every poll through a window of `duration`: false as soon as it fails.
///
/// Only for properties that are the absence of something (no task runs while paused), where
/// watching a window is the measurement itself; never a wait before acting.
package func holdsThroughout(_ duration: Duration, every interval: Duration = .milliseconds(1),
                             _ condition: () throws -> Bool) rethrows -> Bool {
    let end = ContinuousClock.now + duration
    repeat {
        if try !condition() { return false }
        Thread.sleep(forTimeInterval: interval.seconds)
    } while ContinuousClock.now < end
    return try condition()
}

extension Duration {
    /// The duration in seconds, as `Thread.sleep` and `Date` take it.
    package var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
