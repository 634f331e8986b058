import Foundation
import Synchronization

/// A one-way signal: opened once, by any thread, and waited for by any number of threads, each
/// up to a deadline. What a wait blocks on instead of sleeping and looking again.
package final class Latch: Sendable {
    private let condition = NSCondition()
    /// Whether `open()` was called; written under `condition`.
    private let opened = Atomic(false)

    package init() {}

    /// Whether the latch is open (it stays open).
    package var isOpen: Bool { opened.load(ordering: .acquiring) }

    /// Opens the latch and wakes every thread waiting on it; later calls change nothing.
    package func open() {
        condition.lock()
        opened.store(true, ordering: .releasing)
        condition.broadcast()
        condition.unlock()
    }

    /// Blocks until the latch is open or `seconds` pass; returns whether it is open.
    @discardableResult
    package func wait(seconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: max(0, seconds))
        condition.lock()
        while !isOpen && condition.wait(until: deadline) {}
        condition.unlock()
        return isOpen
    }
}
