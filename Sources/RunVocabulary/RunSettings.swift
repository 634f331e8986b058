/// What a user can change between runs: from the command line, a tuning plan or the dashboard's keys.
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
