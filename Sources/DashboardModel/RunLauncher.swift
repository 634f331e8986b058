import RunVocabulary

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

/// An expression that does not build, with where the mistake is in its text: what a launcher
/// throws from `prepare` so that the `:` prompt can put a caret under the mistake.
public struct ExpressionProblem: Error, CustomStringConvertible, Sendable {
    /// What is wrong, in one line.
    public var message: String
    /// The offending characters, as `Character` offsets into the expression's text.
    public var range: Range<Int>
    /// The whole error as the command line shows it (message, the expression, a caret line).
    public var description: String

    public init(message: String, range: Range<Int>, description: String) {
        self.message = message
        self.range = range
        self.description = description
    }
}

/// Something built and ready to start: `start()` starts it (once) and returns what runs.
public struct Prepared<Started> {
    private let starter: () -> Started

    public init(start: @escaping () -> Started) {
        starter = start
    }

    /// Starts it and returns what runs.
    public func start() -> Started {
        starter()
    }
}

/// A run built for the dashboard: `start()` gives its source.
public typealias PreparedRun = Prepared<any DashboardSource>
