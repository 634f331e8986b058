import BlocktopSupport
import RunVocabulary

/// What blocktop has heard of a run it launched on a cluster: submitted, then done with its
/// result, failed or cancelled.
public struct LaunchRecord: Sendable, Equatable {
    /// The result's key and the tasks of the optimised graph, once submitted.
    public private(set) var resultKey: String?
    public private(set) var tasks: Int?
    /// The result's shape and the seconds from submitting to the result (the bridge's clock), once it came.
    public private(set) var resultShape: [Int]?
    public private(set) var seconds: Double?
    /// The exception of the task that failed the run.
    public private(set) var failure: String?
    /// Tasks of the run still on the scheduler when the bridge stopped waiting after a cancel.
    public private(set) var cancelledRemaining: Int?

    public init() {}

    mutating func apply(_ news: BridgeMessage.LaunchNews) {
        switch news {
        case .submitted(let key, let tasks):
            resultKey = key
            self.tasks = tasks
        case .result(_, let shape, let seconds):
            resultShape = shape
            self.seconds = seconds
        case .failed(let key, let exception):
            failure = key.map { "\($0): \(exception)" } ?? exception
        case .cancelled(let remaining):
            cancelledRemaining = remaining
        }
    }

    /// How the run stands once the feed ended: done with a result, cancelled, else failed.
    var outcome: RunState {
        resultShape != nil ? .done : cancelledRemaining != nil ? .cancelled : .failed
    }
}

extension ClusterState {
    /// Where what the feed reports stands: running until the feed ends; then a launched run's
    /// outcome, a watched program's exit status (0 is done), or failed (the cluster went away).
    public var runState: RunState {
        guard ended != nil else { return .running }
        if hello?.mode == .launch { return launch.outcome }
        return exitStatus == 0 ? .done : .failed
    }
}
