/// Recent readings of a set of counters, kept so that rates are averaged over a short window.
///
/// Why: /proc counts CPU time in clock ticks, normally 100 per second. Between two readings
/// 100 ms apart a core gets only ten ticks, so a percentage computed from them moves in steps
/// of 10% and flickers between neighbouring steps even under a steady load.
///
/// How: a rate is not computed against the previous reading but against the newest kept
/// reading that is at least `window` old. The result is the exact average over that span
/// (counters are cumulative, so nothing is lost or counted twice), and its step is
/// 1 / (ticks per second × window): 1% for a one-second window. Readings taken at least
/// `window` apart use the previous reading, so a slow refresh is a plain delta; a refresh faster
/// than the window shows a moving average that is at most `window + window / 8 + interval` old.
/// A reading is kept only if the last kept one is at least `window / 8` older, and kept readings
/// older than the newest one past the window are dropped, so the history stays at about ten.
///
/// A key (a core, a thread) that a kept reading lacks is looked up in the others: the base for
/// a key is the newest reading past the window that has it, else the oldest that has it, else
/// there is none yet.
struct SampleHistory<Snapshot: Sendable>: Sendable {
    struct Entry: Sendable {
        var time: ContinuousClock.Instant
        var snapshot: Snapshot
    }

    /// How far back a rate reaches, at least.
    let window: Duration
    /// Kept readings, oldest first.
    private(set) var entries: [Entry] = []

    init(window: Duration) {
        self.window = window
    }

    /// The reading to measure a rate at `now` against, among those for which `has` is true.
    func base(at now: ContinuousClock.Instant, where has: (Snapshot) -> Bool) -> Entry? {
        if let aged = entries.last(where: { now - $0.time >= window && has($0.snapshot) }) {
            return aged
        }
        return entries.first { has($0.snapshot) }
    }

    /// Keeps `snapshot`, taken at `now`, if it is far enough from the last kept reading, and
    /// drops the readings that can no longer be a base.
    mutating func record(_ snapshot: Snapshot, at now: ContinuousClock.Instant) {
        if let newestAged = entries.lastIndex(where: { now - $0.time >= window }), newestAged > 0 {
            entries.removeFirst(newestAged)
        }
        if let last = entries.last, now - last.time < window / 8 { return }
        entries.append(Entry(time: now, snapshot: snapshot))
    }
}
