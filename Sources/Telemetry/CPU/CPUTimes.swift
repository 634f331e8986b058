/// The cumulative CPU time of one core, or of all cores, in clock ticks, as a `cpu` line of /proc/stat counts it.
///
/// `guest` and `guestNice` are time spent running virtual machines; the kernel already counts
/// them inside `user` and `nice`, so they never enter a busy or total figure a second time.
public struct CPUTimes: Sendable, Equatable {
    /// Running user code at normal priority (guest time included).
    public var user: UInt64
    /// Running user code at lowered priority (niced guest time included).
    public var nice: UInt64
    /// Running kernel code.
    public var system: UInt64
    /// Doing nothing.
    public var idle: UInt64
    /// Idle with I/O outstanding.
    public var iowait: UInt64
    /// Serving hardware interrupts.
    public var irq: UInt64
    /// Serving softirqs.
    public var softirq: UInt64
    /// Wanting to run while the hypervisor ran another guest.
    public var steal: UInt64
    /// Running a virtual machine's CPU (already inside `user`).
    public var guest: UInt64
    /// Running a niced virtual machine's CPU (already inside `nice`).
    public var guestNice: UInt64

    /// Counters in /proc/stat's column order; fields a kernel does not report are zero.
    public init(
        user: UInt64 = 0, nice: UInt64 = 0, system: UInt64 = 0, idle: UInt64 = 0, iowait: UInt64 = 0,
        irq: UInt64 = 0, softirq: UInt64 = 0, steal: UInt64 = 0, guest: UInt64 = 0, guestNice: UInt64 = 0
    ) {
        self.user = user
        self.nice = nice
        self.system = system
        self.idle = idle
        self.iowait = iowait
        self.irq = irq
        self.softirq = softirq
        self.steal = steal
        self.guest = guest
        self.guestNice = guestNice
    }

    /// Busy time: user + nice + system + irq + softirq + steal (guest time is inside user and nice).
    public var busy: UInt64 { user + nice + system + irq + softirq + steal }

    /// The number of counters a `cpu` line has on current kernels (since Linux 2.6.33).
    static let columnCount = 10

    /// The counter in column `index` (0 is `user`), for the parser.
    subscript(column index: Int) -> UInt64 {
        get {
            switch index {
            case 0: user
            case 1: nice
            case 2: system
            case 3: idle
            case 4: iowait
            case 5: irq
            case 6: softirq
            case 7: steal
            case 8: guest
            default: guestNice
            }
        }
        set {
            switch index {
            case 0: user = newValue
            case 1: nice = newValue
            case 2: system = newValue
            case 3: idle = newValue
            case 4: iowait = newValue
            case 5: irq = newValue
            case 6: softirq = newValue
            case 7: steal = newValue
            case 8: guest = newValue
            default: guestNice = newValue
            }
        }
    }
}
