/// Starts runs for the dashboard: the first one, and the reruns and new expressions its keys ask for.
public protocol RunLauncher: AnyObject {
    /// Builds the run `settings` describe without starting it; throws, before anything runs, when
    /// they do not fit the computation or the expression does not build.
    func prepare(_ settings: RunSettings) throws -> PreparedRun
}

extension RunLauncher {
    /// Builds the run `settings` describe and starts it.
    public func launch(_ settings: RunSettings) throws -> any DashboardSource {
        try prepare(settings).start()
    }
}

/// A run that is built and ready: `start()` starts it (once).
public struct PreparedRun {
    private let starter: () -> any DashboardSource

    public init(start: @escaping () -> any DashboardSource) {
        starter = start
    }

    /// Starts the run and returns its source.
    public func start() -> any DashboardSource {
        starter()
    }
}

/// What a user can change between runs from the dashboard.
public struct RunSettings: Sendable, Equatable {
    /// Block size along each axis of every creation call, overriding their `chunks=`; nil to
    /// take the blocks the expression gives.
    public var blockSize: Int?
    public var workers: Int
    /// An expression typed at the `:` prompt; nil for the computation the launcher was made with.
    public var expression: String?

    public init(blockSize: Int?, workers: Int, expression: String? = nil) {
        self.blockSize = blockSize
        self.workers = workers
        self.expression = expression
    }
}
