/// What a dashboard source can do and what it has to show: the dashboard offers only the keys
/// and panels its source declares (the footer, the help and the keys follow them).
public struct SourceCapabilities: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// The run can be cancelled (c).
    public static let cancel = SourceCapabilities(rawValue: 1 << 0)
    /// The run can be paused and resumed (space).
    public static let pause = SourceCapabilities(rawValue: 1 << 1)
    /// Other runs can start in its place: again, with other blocks or workers, or an expression
    /// typed at the prompt (r, [ ], + -, :).
    public static let newRuns = SourceCapabilities(rawValue: 1 << 2)
    /// The machine's cores, a utilization bar each.
    public static let coreBars = SourceCapabilities(rawValue: 1 << 3)
    /// A cluster's worker processes, grouped by host, in place of the cores.
    public static let clusterWorkers = SourceCapabilities(rawValue: 1 << 4)

    /// Everything a run on blocktop's own threads can do: the default of a source.
    public static let localRun: SourceCapabilities = [.cancel, .pause, .newRuns, .coreBars]

    /// What the dashboard says when a key asks for `capability` of a source that lacks it and
    /// says nothing more specific.
    public static func standardRefusal(of capability: SourceCapabilities) -> String {
        if capability.contains(.newRuns) { return "this dashboard starts no runs" }
        if capability.contains(.pause) { return "this run cannot be paused" }
        if capability.contains(.cancel) { return "this run cannot be cancelled" }
        return "this run cannot do that"
    }
}
