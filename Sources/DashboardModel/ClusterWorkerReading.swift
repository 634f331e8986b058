/// One worker process of a watched cluster at a refresh: where it runs, its threads, CPU,
/// memory and the tasks it executes. A cluster source gives these in `MachineReading.clusterWorkers`.
public struct ClusterWorkerReading: Sendable, Equatable {
    public var name: String
    public var host: String
    public var threads: Int
    /// CPU use; 100 is one core.
    public var cpu: Double
    public var memoryBytes: Int
    public var executing: Int
    /// Whether it is still in the cluster (a worker that left stays listed, marked gone).
    public var present: Bool
    /// Per-core busy % of its host, when the worker plugin reads them there.
    public var hostCores: [Double]?

    public init(name: String, host: String, threads: Int, cpu: Double, memoryBytes: Int, executing: Int, present: Bool,
                hostCores: [Double]? = nil) {
        self.hostCores = hostCores
        self.name = name
        self.host = host
        self.threads = threads
        self.cpu = cpu
        self.memoryBytes = memoryBytes
        self.executing = executing
        self.present = present
    }

    /// The workers grouped by host, hosts in order of their first worker.
    public static func byHost(_ workers: [ClusterWorkerReading]) -> [(host: String, workers: [ClusterWorkerReading])] {
        var order: [String] = []
        var groups: [String: [ClusterWorkerReading]] = [:]
        for worker in workers {
            if groups[worker.host] == nil { order.append(worker.host) }
            groups[worker.host, default: []].append(worker)
        }
        return order.map { ($0, groups[$0]!) }
    }

    /// The cores of the host whose workers are `members`: the first present worker's reading
    /// of them; nil when none has one.
    public static func hostCores(_ members: [ClusterWorkerReading]) -> [Double]? {
        members.first { $0.present && $0.hostCores?.isEmpty == false }?.hostCores
    }

    /// The load bars of the host whose workers are `members`: its cores when a worker reads
    /// them, else a bar per worker (its CPU over its threads; nil for one that left).
    public static func loads(ofHost members: [ClusterWorkerReading]) -> [CoreLoad?] {
        if let cores = hostCores(members) { return cores.map { CoreLoad(own: min(100, $0), others: 0) } }
        return members.map { $0.present ? CoreLoad(own: min(100, $0.cpu / Double(max(1, $0.threads))), others: 0) : nil }
    }
}
