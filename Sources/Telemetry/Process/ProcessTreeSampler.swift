/// Samples the CPU use of a process and all its descendants, found at each sample from the
/// `ppid` field of every `<procRoot>/PID/stat`.
///
/// CPU use is Δ(utime + stime) summed over the tree, over Δ wall time since the previous
/// sample, in percent of one core (100 is one core busy). A process counts from the first
/// sample that sees it (a process that appears between two samples counts all its time);
/// time of a descendant that exited between two samples is not counted.
public struct ProcessTreeSampler: Sendable {
    /// A process of the tree as last read: who it is (id and start time) and its CPU ticks.
    private struct Member: Hashable, Sendable {
        var id: Int32
        var startTicks: UInt64
    }

    /// Where procfs is mounted.
    public let procRoot: String
    /// The process at the root of the tree.
    public let rootID: Int32
    private var reader = FileReader(initialCapacity: 1024)
    private var previous: (time: ContinuousClock.Instant, ticks: [Member: UInt64])?

    /// A sampler for `rootID` and its descendants; the first `sample` only takes a base reading.
    ///
    /// - Parameter procRoot: where procfs is mounted; tests pass a directory of fixture files.
    public init(procRoot: String = "/proc", rootID: Int32) {
        self.procRoot = procRoot
        self.rootID = rootID
    }

    /// The tree's CPU use since the previous sample (0 at the first), and how many processes it holds now.
    public mutating func sample(at now: ContinuousClock.Instant = .now) -> (cpuPercent: Double, processes: Int) {
        let ticks = readTree()
        defer { previous = (now, ticks) }
        guard let previous, now > previous.time else { return (0, ticks.count) }
        var spent: UInt64 = 0
        for (member, current) in ticks {
            let before = previous.ticks[member] ?? 0
            spent += current > before ? current - before : 0
        }
        return (Kernel.percentOfOneCore(ticks: spent, seconds: (now - previous.time) / .seconds(1)), ticks.count)
    }

    /// The CPU ticks of the root and every descendant, read from every numbered directory's stat.
    private mutating func readTree() -> [Member: UInt64] {
        var stats: [Int32: ProcessStat] = [:]
        // The numbered entries of procRoot, listed as a task directory's are.
        for id in (try? ThreadID.all(in: procRoot)) ?? [] {
            let path = "\(procRoot)/\(id)/stat"
            // A process may exit between the listing and the read: it is then left out.
            if let stat = try? reader.withContents(of: path, { bytes throws(TelemetryError) in try ProcessStat.parse(bytes, path: path) }) {
                stats[id] = stat
            }
        }
        var children: [Int32: [Int32]] = [:]
        for (id, stat) in stats { children[stat.parentID, default: []].append(id) }
        var tree: [Member: UInt64] = [:]
        var pending = stats[rootID] == nil ? [] : [rootID]
        while let id = pending.popLast() {
            guard let stat = stats[id], tree.count < stats.count else { continue }
            tree[Member(id: id, startTicks: stat.startTicks)] = stat.userTicks + stat.systemTicks
            pending += children[id] ?? []
        }
        return tree
    }
}
