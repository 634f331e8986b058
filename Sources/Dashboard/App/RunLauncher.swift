/// Starts runs for the dashboard: the first one, and the reruns its keys ask for.
public protocol RunLauncher: AnyObject {
    /// Starts a run with `settings`; throws when the settings do not fit the computation.
    func launch(_ settings: RunSettings) throws -> any DashboardSource
}

/// What a user can change between runs from the dashboard.
public struct RunSettings: Sendable, Equatable {
    /// Block size along each axis; nil when the computation has no single block size.
    public var blockSize: Int?
    public var workers: Int

    public init(blockSize: Int?, workers: Int) {
        self.blockSize = blockSize
        self.workers = workers
    }
}
