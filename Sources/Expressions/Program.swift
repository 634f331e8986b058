import BlockArray

/// What the command line sets for creation functions: defaults for the arguments a call leaves
/// out, and a block size that wins over the call's own `chunks=`.
public struct Defaults: Sendable {
    /// The blocks of a creation call that gives no `chunks=`.
    public var chunks: ChunkSpec
    /// The blocks of every creation call, whatever its `chunks=` says: what `--chunks`, a sweep and
    /// the dashboard's block-size keys set. `rechunk` keeps its own chunks.
    public var chunksOverride: ChunkSpec?
    public var seed: UInt64

    public init(chunks: ChunkSpec = .uniform(1_000), chunksOverride: ChunkSpec? = nil, seed: UInt64 = 0) {
        self.chunks = chunks
        self.chunksOverride = chunksOverride
        self.seed = seed
    }
}

/// An expression program, parsed and built into a lazy array: nothing has run yet.
///
///     x = random((20000, 20000), chunks=2000, seed=1); y = x + x.T; (y - y.mean()).std()
///
/// Statements are separated by `;` or newlines; `name = value` binds a name;
/// the last statement is the result. Every mistake (syntax, unknown name,
/// shape mismatch, bad axis, bad argument) is found here, before anything runs.
public struct Program {
    public let source: String
    /// The result as an array (a number result is a 0-d array).
    public let result: BlockArray
    /// The arrays the creation functions made, in order (what the computation reads).
    public let createdArrays: [BlockArray]
    /// Where the text gives a `chunks=` that `Defaults.chunksOverride` replaced.
    public let overriddenChunks: [Range<Int>]
    /// The files the program loads, in the order of its `load` calls.
    public let loadedFiles: [LoadedFile]

    public init(_ source: String, defaults: Defaults = Defaults()) throws(ExpressionError) {
        var parser = try Parser(source)
        let statements = try parser.program()
        var evaluator = Evaluator(source: source, defaults: defaults)
        var last: (value: Value, range: Range<Int>)?
        for statement in statements {
            let value = try evaluator.evaluate(statement.value)
            if let target = statement.target {
                evaluator.variables[target.name] = value
            }
            last = statement.target == nil ? (value, statement.value.range) : (value, statement.value.range)
        }
        guard let (value, range) = last, statements.last?.target == nil else {
            let range = statements.last!.value.range
            throw ExpressionError(.syntax, "the last statement must be the result, not an assignment", in: source, at: range)
        }
        switch value {
        case .array(let array):
            result = array
        case .number(let number):
            do {
                result = try BlockArray.fromArray(DenseArray(scalar: number), chunks: .perAxis([]))
            } catch {
                throw ExpressionError(.badValue, "\(error)", in: source, at: range)
            }
        default:
            throw ExpressionError(.badValue, "the result must be an array or a number, got \(value.typeName)", in: source, at: range)
        }
        self.source = source
        self.createdArrays = evaluator.created
        self.overriddenChunks = evaluator.overriddenChunks
        self.loadedFiles = evaluator.loaded.files
    }

    /// The largest array the program creates (what a dashboard names as "the array"), else the result.
    public var mainArray: BlockArray {
        createdArrays.max { $0.count < $1.count } ?? result
    }
}
