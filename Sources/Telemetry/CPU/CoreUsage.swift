/// How busy a core was between two readings, in percent of that core's time.
///
/// The three parts are drawn as one bar: `user` and `system` in two colours, `steal` (time the
/// hypervisor gave to another guest) after them. Everything else was idle or waiting on I/O.
public struct CoreUsage: Sendable, Equatable {
    /// Running user code: user + nice (guest time is inside these).
    public var user: Double
    /// Running kernel code: system + irq + softirq.
    public var system: Double
    /// Stolen by the hypervisor while this virtual CPU wanted to run.
    public var steal: Double

    /// Busy time in percent: user + system + steal, the figure top and htop show.
    public var busy: Double { user + system + steal }

    /// A usage from percentages of the core's time.
    public init(user: Double, system: Double, steal: Double) {
        self.user = user
        self.system = system
        self.steal = steal
    }

    /// A core with no busy time.
    public static let idle = CoreUsage(user: 0, system: 0, steal: 0)

    /// The usage between two readings of the same core's counters.
    ///
    /// Each counter's change is taken on its own and a counter that went backwards counts as
    /// zero (iowait does on some kernels, and a core that was offline may come back with other
    /// counters). The total is the sum of those changes, so no part is negative and the parts
    /// never add up to more than 100. With no time counted at all the core reads idle.
    public init(from earlier: CPUTimes, to later: CPUTimes) {
        func change(_ old: UInt64, _ new: UInt64) -> Double { new > old ? Double(new - old) : 0 }
        let user = change(earlier.user, later.user) + change(earlier.nice, later.nice)
        let system = change(earlier.system, later.system) + change(earlier.irq, later.irq)
            + change(earlier.softirq, later.softirq)
        let steal = change(earlier.steal, later.steal)
        let total = user + system + steal + change(earlier.idle, later.idle) + change(earlier.iowait, later.iowait)
        guard total > 0 else {
            self = .idle
            return
        }
        self.init(user: 100 * user / total, system: 100 * system / total, steal: 100 * steal / total)
    }
}
