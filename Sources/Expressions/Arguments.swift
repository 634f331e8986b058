import BlockArray

/// The arguments of one builtin call, bound to its parameter names as Python does,
/// with typed accessors that report a bad argument at its own place in the text.
struct Arguments {
    let function: String
    let source: String
    let callRange: Range<Int>
    let defaults: Defaults
    /// Where `load` records the files it opens (nil outside an evaluator).
    let loaded: LoadedFiles?
    private let bound: [String: (value: Value, range: Range<Int>)]

    init(function: String, parameters: [String], required: Int, positional: [(Value, Range<Int>)],
         keywords: [(String, Value, Range<Int>)], source: String, callRange: Range<Int>, defaults: Defaults,
         loaded: LoadedFiles? = nil) throws(ExpressionError) {
        self.function = function
        self.loaded = loaded
        self.source = source
        self.callRange = callRange
        self.defaults = defaults
        func fail(_ message: String, _ range: Range<Int>) -> ExpressionError {
            ExpressionError(.badArgument, message, in: source, at: range)
        }
        guard positional.count <= parameters.count else {
            throw fail("\(function)() takes at most \(parameters.count) positional arguments, got \(positional.count)", positional[parameters.count].1)
        }
        var bound: [String: (Value, Range<Int>)] = [:]
        for (name, argument) in zip(parameters, positional) { bound[name] = argument }
        for (label, value, range) in keywords {
            guard parameters.contains(label) else {
                throw fail("\(function)() has no argument '\(label)'; it takes \(parameters.joined(separator: ", "))", range)
            }
            guard bound[label] == nil else { throw fail("\(function)() got '\(label)' twice", range) }
            bound[label] = (value, range)
        }
        for name in parameters.prefix(required) where bound[name] == nil {
            throw fail("\(function)() needs the argument '\(name)'", callRange)
        }
        self.bound = bound
    }

    func has(_ name: String) -> Bool {
        guard let value = bound[name]?.value else { return false }
        if case .none = value { return false }
        return true
    }

    /// Where argument `name` is in the text (the whole call when it was left out).
    func range(_ name: String) -> Range<Int> { bound[name]?.range ?? callRange }

    func value(_ name: String) -> Value { bound[name]?.value ?? .none }

    func fail(_ name: String, _ message: String, _ kind: ExpressionError.Kind = .badArgument) -> ExpressionError {
        ExpressionError(kind, "\(function)(): \(message)", in: source, at: range(name))
    }

    func array(_ name: String) throws(ExpressionError) -> BlockArray {
        switch value(name) {
        case .array(let array): return array
        case .number(let number): return try scalarArray(number, at: range(name))
        case let other: throw fail(name, "'\(name)' must be an array, got \(other.typeName)")
        }
    }

    func number(_ name: String, default fallback: Double? = nil) throws(ExpressionError) -> Double {
        switch value(name) {
        case .number(let number): return number
        case .none: if let fallback { return fallback }
        default: break
        }
        throw fail(name, "'\(name)' must be a number, got \(value(name).typeName)")
    }

    func integer(_ name: String, default fallback: Int? = nil) throws(ExpressionError) -> Int {
        if case .none = value(name), let fallback { return fallback }
        let number = try self.number(name)
        guard number == number.rounded(), abs(number) < 1e15 else {
            throw fail(name, "'\(name)' must be a whole number, got \(number)")
        }
        return Int(number)
    }

    func optionalInteger(_ name: String) throws(ExpressionError) -> Int? {
        has(name) ? try integer(name) : nil
    }

    func bool(_ name: String, default fallback: Bool) throws(ExpressionError) -> Bool {
        has(name) ? try number(name) != 0 : fallback
    }

    func string(_ name: String) throws(ExpressionError) -> String? {
        switch value(name) {
        case .string(let text): return text
        case .none: return nil
        case let other: throw fail(name, "'\(name)' must be a string, got \(other.typeName)")
        }
    }

    /// Whole numbers from a number or a sequence of numbers.
    func integers(_ name: String) throws(ExpressionError) -> [Int]? {
        switch value(name) {
        case .none: return nil
        case .number: return [try integer(name)]
        case .sequence(let items):
            var result: [Int] = []
            for item in items {
                guard case .number(let number) = item, number == number.rounded(), abs(number) < 1e15 else {
                    throw fail(name, "'\(name)' must hold whole numbers, got \(item.typeName)")
                }
                result.append(Int(number))
            }
            return result
        case let other: throw fail(name, "'\(name)' must be a whole number or a tuple of them, got \(other.typeName)")
        }
    }

    func shape(_ name: String) throws(ExpressionError) -> [Int] {
        guard let shape = try integers(name) else { throw fail(name, "needs a shape") }
        return shape
    }

    /// The blocks of a creation call: the override when the command line sets one (a `chunks=`
    /// given is still checked), else `chunks=`, else the source's `natural` blocks (a file's),
    /// else the default.
    func creationChunks(natural: ChunkSpec? = nil) throws(ExpressionError) -> ChunkSpec {
        let given = try chunks()
        if let override = defaults.chunksOverride { return override }
        if case .none = value("chunks"), let natural { return natural }
        return given
    }

    /// `chunks=` as dask takes it: one size, a size per axis, or sizes per axis; the default otherwise.
    func chunks(_ name: String = "chunks") throws(ExpressionError) -> ChunkSpec {
        switch value(name) {
        case .none: return defaults.chunks
        case .sequence(let items) where items.contains(where: { if case .sequence = $0 { return true }; return false }):
            var lists: [[Int]] = []
            for item in items {
                switch item {
                case .sequence(let sizes):
                    lists.append(try sizes.map { (size) throws(ExpressionError) -> Int in
                        guard case .number(let n) = size, n == n.rounded(), abs(n) < 1e15 else { throw fail(name, "block sizes must be whole numbers") }
                        return Int(n)
                    })
                default: throw fail(name, "mix of sizes and lists of sizes")
                }
            }
            return .explicit(lists)
        default:
            let sizes = try integers(name) ?? []
            return sizes.count == 1 && value(name).isNumber ? .uniform(sizes[0]) : .perAxis(sizes)
        }
    }

    func seed() throws(ExpressionError) -> UInt64 {
        // The default (--seed) may be past Int.max.
        guard has("seed") else { return defaults.seed }
        let seed = try integer("seed")
        guard seed >= 0 else { throw fail("seed", "seed must be ≥ 0, got \(seed)", .badValue) }
        return UInt64(seed)
    }

    /// A 0-d array holding `number`, for arguments that accept either.
    func scalarArray(_ number: Double, at range: Range<Int>) throws(ExpressionError) -> BlockArray {
        try library(at: range) { try BlockArray.fromArray(DenseArray(scalar: number), chunks: .perAxis([])) }
    }

    /// Runs a library call, turning its error into one at `range` of the text (the call by default).
    /// An error about a limit points at the argument that set the size past it: `elements` for the
    /// element count, `blocks` for the block count, `steps` for the step count.
    func library<T>(at range: Range<Int>? = nil, elements: String = "shape", blocks: String = "chunks",
                    _ body: () throws -> T) throws(ExpressionError) -> T {
        do {
            return try body()
        } catch let error as BlockArrayError {
            let place: Range<Int>
            switch error {
            case .tooManyElements, .rangeTooLong: place = self.range(elements)
            case .tooManyBlocks: place = self.range(blocks)
            case .invalidSteps: place = self.range("steps")
            default: place = range ?? callRange
            }
            throw ExpressionError(error.expressionKind, "\(function)(): \(error.description)", in: source, at: place)
        } catch {
            throw ExpressionError(.badValue, "\(function)(): \(error)", in: source, at: range ?? callRange)
        }
    }
}

extension Value {
    var isNumber: Bool {
        if case .number = self { return true }
        return false
    }
}

extension BlockArrayError {
    /// The class of expression error this library error is.
    var expressionKind: ExpressionError.Kind {
        switch self {
        case .shapeMismatch: return .shapeMismatch
        case .invalidAxis: return .badAxis
        default: return .badValue
        }
    }
}
