import Foundation
import Synchronization

/// Where a cluster's news comes from (the bridge, or the scheduler's HTTP server): messages
/// collected on a background thread for the dashboard to take at its refresh, so that reading
/// never waits for the screen.
public protocol ClusterFeed: AnyObject, Sendable {
    /// Everything that arrived since the previous call.
    func drain() -> FeedBatch
    /// Stops reading, and whatever the feed started.
    func stop()
    /// Cancels the run the feed launched, if it launched one.
    func cancel()
    /// Blocks until something arrives that `drain` has not taken, or the feed ends, or `seconds` pass.
    func awaitNews(seconds: Double)
    /// Blocks until the feed ends, or `seconds` pass; leaves its news for `drain`.
    func awaitEnd(seconds: Double)
}

extension ClusterFeed {
    public func cancel() {}
    /// A feed whose news is always at hand (a recorded one) has nothing to wait for.
    public func awaitNews(seconds: Double) {}
    /// A recorded feed ends when its record does: there is nothing to wait for.
    public func awaitEnd(seconds: Double) {}
}

/// What a feed collected between two drains.
public struct FeedBatch: Sendable {
    public var messages: [BridgeMessage] = []
    /// Lines that could not be used, and why the last one could not.
    public var skippedLines = 0
    public var lastSkipReason: String?
    /// Why the feed ended, once it did (the scheduler went away, the bridge exited …).
    public var ended: String?

    public init() {}
}

/// The buffer a feed's reading thread fills and the dashboard's thread drains.
final class FeedInbox: Sendable {
    private let batch = Mutex(FeedBatch())
    /// Signalled at each post, skip and end, for `awaitNews`.
    private let news = NSCondition()
    /// Whether something came since `awaitNews` last returned; read and written under `news`.
    private let fresh = Atomic(false)

    func post(_ message: BridgeMessage) {
        batch.withLock { $0.messages.append(message) }
        announce()
    }

    func skip(because reason: String) {
        batch.withLock {
            $0.skippedLines += 1
            $0.lastSkipReason = reason
        }
        announce()
    }

    /// Records why the feed ended; the first reason stays.
    func end(_ reason: String) {
        batch.withLock { $0.ended = $0.ended ?? reason }
        announce()
    }

    /// Blocks until something is posted, skipped or ends after the previous call, or `seconds` pass.
    func awaitNews(seconds: Double) {
        let deadline = Date(timeIntervalSinceNow: max(0, seconds))
        news.lock()
        while !fresh.load(ordering: .relaxed) && !hasEnded && news.wait(until: deadline) {}
        fresh.store(false, ordering: .relaxed)
        news.unlock()
    }

    /// Blocks until the feed ends, or `seconds` pass; what came meanwhile stays news for `awaitNews`.
    func awaitEnd(seconds: Double) {
        let deadline = Date(timeIntervalSinceNow: max(0, seconds))
        news.lock()
        while !hasEnded && news.wait(until: deadline) {}
        news.unlock()
    }

    private func announce() {
        news.lock()
        fresh.store(true, ordering: .relaxed)
        news.broadcast()
        news.unlock()
    }

    /// The first message not yet drained that `matches` accepts.
    func first(where matches: (BridgeMessage) -> Bool) -> BridgeMessage? {
        batch.withLock { $0.messages.first(where: matches) }
    }

    var hasEnded: Bool { batch.withLock { $0.ended != nil } }

    /// Takes the messages and skipped lines so far; the end, once there is one, stays.
    func drain() -> FeedBatch {
        batch.withLock { batch in
            let taken = batch
            batch.messages = []
            batch.skippedLines = 0
            batch.lastSkipReason = nil
            return taken
        }
    }
}
