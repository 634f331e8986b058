/// How busy a core was between two readings, in percent of that core's time.
///
/// Busy time is `user`, `system` and `steal` (time the hypervisor gave to another guest);
/// everything else was idle or waiting on I/O. A sampler that attributes its process's threads
/// to cores (see `CoreAttribution`) also splits the busy time into this process's share, `own`,
/// and everyone else's, `others`.
public struct CoreUsage: Sendable, Equatable {
    /// Running user code: user + nice (guest time is inside these).
    public var user: Double
    /// Running kernel code: system + irq + softirq.
    public var system: Double
    /// Stolen by the hypervisor while this virtual CPU wanted to run.
    public var steal: Double

    /// The part of `busy` that was this process's threads, by the core each last ran on; nil
    /// when the sampler does not attribute threads to cores.
    public var own: Double?

    /// Busy time in percent: user + system + steal, the figure top and htop show.
    public var busy: Double { user + system + steal }

    /// The part of `busy` that was not this process: busy − own, at least 0, so other processes,
    /// the kernel's own threads and steal; nil when `own` is.
    public var others: Double? { own.map { max(0, busy - $0) } }

    /// A usage from percentages of the core's time.
    public init(user: Double, system: Double, steal: Double, own: Double? = nil) {
        self.user = user
        self.system = system
        self.steal = steal
        self.own = own
    }

    /// A core with no busy time.
    public static let idle = CoreUsage(user: 0, system: 0, steal: 0)

    /// The usage between two readings of the same core's counters.
    ///
    /// Each counter's change is taken on its own and a counter that went backwards counts as
    /// zero (iowait does on some kernels, and a core that was offline may come back with other
    /// counters). The total is the sum of those changes, so no part is negative and the parts
    /// never add up to more than 100. With no time counted at all the core reads idle.
    ///
    /// `ownTicks`, when given, is the CPU time this process's threads were attributed on this
    /// core over the same span; its share of the core's time becomes `own`, at most `busy` (the
    /// two clocks are sampled apart, so a fully busy core can count a tick more for the process).
    public init(from earlier: CPUTimes, to later: CPUTimes, ownTicks: UInt64? = nil) {
        func change(_ old: UInt64, _ new: UInt64) -> Double { new > old ? Double(new - old) : 0 }
        let user = change(earlier.user, later.user) + change(earlier.nice, later.nice)
        let system = change(earlier.system, later.system) + change(earlier.irq, later.irq)
            + change(earlier.softirq, later.softirq)
        let steal = change(earlier.steal, later.steal)
        let total = user + system + steal + change(earlier.idle, later.idle) + change(earlier.iowait, later.iowait)
        guard total > 0 else {
            self = CoreUsage(user: 0, system: 0, steal: 0, own: ownTicks.map { _ in 0 })
            return
        }
        self.init(user: 100 * user / total, system: 100 * system / total, steal: 100 * steal / total)
        own = ownTicks.map { min(busy, 100 * Double($0) / total) }
    }
}
