import DashboardModel

/// The dashboard's view of a cluster: its tasks as one run (operations by task prefix, a grid
/// stage per key group), a lane per worker thread, and the workers' readings as the machine's.
extension ClusterState {
    /// Grids larger than this many blocks are not drawn (a key's index can be anything).
    static let maximumGridBlocks = 1 << 20
    /// Key groups the grid can show at most: the ones with the most tasks.
    static let maximumStages = 16

    /// Everything seen so far as one run called `title`, made from scratch (O(tasks)):
    /// `ClusterSource` keeps the same description up to date with `ClusterRunDescriber` instead.
    public func runDescription(title: String) -> RunDescription {
        let lanes = max(1, laneCount)
        let operationOfTask = tasks.map { Int32(prefixNumber($0.prefix)) }
        var stages = gridStages()
        if stages.isEmpty {
            stages = [BlockGridMap(stage: "tasks", extent: [max(1, tasks.count)], blockOfTask: tasks.indices.map { Int32($0) })]
        }
        let heaviest = stages.indices.max { stages[$0].blockOfTask.count { $0 >= 0 } < stages[$1].blockOfTask.count { $0 >= 0 } } ?? 0
        return RunDescription(title: title, arrayShape: [], blockShape: [], blockCount: stages[heaviest].blockCount, workerCount: lanes,
                              // Lanes of workers that left stay: never "oversubscribed" for those.
                              capacity: Double(max(lanes, threads)), taskFlops: Array(repeating: 0, count: tasks.count),
                              stages: stages, heaviest: heaviest, operations: prefixes.isEmpty ? ["task"] : prefixes,
                              operationOfTask: operationOfTask)
    }

    /// A stage per key group whose tasks have block indices, in order of first appearance.
    private func gridStages() -> [BlockGridMap] {
        var order: [String] = []
        var members: [String: [Int]] = [:]
        for (id, task) in tasks.enumerated() where !task.index.isEmpty && task.index.allSatisfy({ $0 >= 0 }) {
            if members[task.group] == nil { order.append(task.group) }
            members[task.group, default: []].append(id)
        }
        let kept = Set(order.sorted { members[$0]!.count > members[$1]!.count }.prefix(Self.maximumStages))
        return order.filter(kept.contains).compactMap { group in
            let ids = members[group]!
            let rank = tasks[ids[0]].index.count
            let inGrid = ids.filter { tasks[$0].index.count == rank }
            var extent = Array(repeating: 1, count: rank)
            for id in inGrid {
                for (axis, position) in tasks[id].index.enumerated() { extent[axis] = max(extent[axis], position + 1) }
            }
            let blocks = extent.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
            guard blocks <= Self.maximumGridBlocks else { return nil }
            var blockOfTask = [Int32](repeating: -1, count: tasks.count)
            for id in inGrid {
                blockOfTask[id] = Int32(zip(tasks[id].index, extent).reduce(0) { $0 * $1.1 + $1.0 })
            }
            return BlockGridMap(stage: tasks[ids[0]].prefix, extent: extent, blockOfTask: blockOfTask)
        }
    }

    /// Cores of a host that are shown at most, whatever a worker's reading holds.
    static let maximumCoresPerHost = 4096

    /// The workers' readings: the cores host by host (a host's real cores when a worker reads
    /// them, else a "core" per worker: its CPU over its threads) and a cluster worker each
    /// (grouped by host on screen), the cluster's CPU as the process's and its efficiency over
    /// time, each lane its worker's CPU per thread, memory summed over workers.
    public var machineReading: MachineReading {
        var laneCPU = [Double?](repeating: nil, count: max(1, laneCount))
        for worker in workers where worker.present {
            for lane in worker.lanes { laneCPU[lane] = worker.reading.cpu / Double(max(1, worker.reading.threads)) }
        }
        let present = presentWorkers
        let limit = UntrustedNumber.saturatingSum(present.lazy.map(\.reading.memoryLimit))
        let used = UntrustedNumber.saturatingSum(present.lazy.map(\.reading.memory))
        let listed = workers.map {
            ClusterWorkerReading(name: Self.shortName($0.reading.name), host: $0.reading.host, threads: $0.reading.threads, cpu: $0.reading.cpu,
                                 memoryBytes: $0.reading.memory, executing: $0.reading.executing, present: $0.present,
                                 hostCores: $0.reading.cores.map { Array($0.prefix(Self.maximumCoresPerHost)) })
        }
        return MachineReading(
            cores: ClusterWorkerReading.byHost(listed).flatMap { ClusterWorkerReading.loads(ofHost: $0.workers) },
            processCPU: cpuPercent, residentBytes: UInt64(used), workerCPU: laneCPU,
            memoryTotal: UInt64(limit), memoryAvailable: UInt64(max(0, limit - used)), clusterWorkers: listed, efficiency: efficiency)
    }

    /// A worker's name for a narrow column: an address without its scheme (`127.0.0.1:40001`).
    private static func shortName(_ name: String) -> String {
        name.range(of: "://").map { String(name[$0.upperBound...]) } ?? name
    }
}
