import Synchronization

/// The events of one run: one lock-free single-producer queue per worker (and
/// one for the controller), drained by a single observer at its own pace.
///
/// Queues are linked lists of fixed-size segments. A producer writes an event,
/// then publishes the new count with a release store; when a segment is full it
/// links a fresh one. So no worker ever waits for the observer and no event is
/// dropped: a slow observer only makes the lists longer (24 bytes per event),
/// and it frees each segment once it has read past it.
public final class EventLog: Sendable {
    private let queues: [EventQueue]

    /// A log for `workers` workers plus the controller.
    package init(workers: Int) {
        queues = (0...workers).map { _ in EventQueue() }
    }

    /// Appends from worker `worker` (or `TaskEvent.controller`); only that worker's thread may call it.
    package func publish(_ event: TaskEvent) {
        queues[Int(event.worker) + 1].publish(event)
    }

    /// Every event published since the last drain, queue by queue (each queue in publication order).
    ///
    /// Call from one thread at a time (the observer).
    public func drain() -> [TaskEvent] {
        var events: [TaskEvent] = []
        for queue in queues { queue.drain(into: &events) }
        return events
    }
}

/// A fixed block of events in a queue.
private final class EventSegment: Sendable {
    static let capacity = 1024
    /// Written by the producer only below `published`, read by the consumer only below it.
    nonisolated(unsafe) let slots = UnsafeMutablePointer<TaskEvent>.allocate(capacity: capacity)
    let published = Atomic<Int>(0)
    let next = Atomic<Unmanaged<EventSegment>?>(nil)

    deinit {
        slots.deallocate()
    }
}

/// A single-producer, single-consumer unbounded queue of events.
private final class EventQueue: Sendable {
    /// Producer side: the segment being written and how many it holds.
    /// Touched only by the producing thread.
    private struct ProducerState {
        var tail: EventSegment
        var count = 0
    }

    /// Consumer side: the segment being read and how far.
    /// Touched only by the draining thread.
    private struct ConsumerState {
        var head: EventSegment
        var read = 0
    }

    // Each side is confined to one thread by contract (see `EventLog`); the
    // Mutex is never contended and only makes that contract checkable.
    private let producer: Mutex<ProducerState>
    private let consumer: Mutex<ConsumerState>

    init() {
        let first = EventSegment()
        producer = Mutex(ProducerState(tail: first))
        consumer = Mutex(ConsumerState(head: first))
    }

    deinit {
        // Release the segments linked after the consumer's head.
        consumer.withLock { state in
            var next = state.head.next.load(ordering: .acquiring)
            while let segment = next {
                next = segment.takeUnretainedValue().next.load(ordering: .acquiring)
                segment.release()
            }
        }
    }

    func publish(_ event: TaskEvent) {
        producer.withLock { state in
            if state.count == EventSegment.capacity {
                let fresh = EventSegment()
                state.tail.next.store(Unmanaged.passRetained(fresh), ordering: .releasing)
                state.tail = fresh
                state.count = 0
            }
            state.tail.slots[state.count] = event
            state.count += 1
            state.tail.published.store(state.count, ordering: .releasing)
        }
    }

    func drain(into events: inout [TaskEvent]) {
        consumer.withLock { state in
            while true {
                let available = state.head.published.load(ordering: .acquiring)
                if available > state.read {
                    events.append(contentsOf: UnsafeBufferPointer(start: state.head.slots + state.read,
                                                                  count: available - state.read))
                    state.read = available
                }
                guard available == EventSegment.capacity,
                      let next = state.head.next.load(ordering: .acquiring) else { return }
                // The producer has moved on: drop our hold on the old head and
                // take over the retain the producer made for the link.
                state.head = next.takeRetainedValue()
                state.read = 0
            }
        }
    }
}
