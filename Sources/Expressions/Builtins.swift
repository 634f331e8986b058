import BlockArray

/// One function of the language: its parameters (Python order; the first
/// `required` must be given) and what it builds.
struct Builtin: Sendable {
    let parameters: [String]
    let required: Int
    /// Whether the last parameter takes the positional arguments past it as a tuple, as
    /// NumPy's `x.reshape(4, 6)` does.
    var lastGathers = false
    let body: @Sendable (Arguments) throws(ExpressionError) -> Value
}

/// The functions of the language, by name. Methods (`x.sum(axis=0)`) are these
/// functions with the array as first argument.
package enum Builtins {
    static let table: [String: Builtin] = {
        var table: [String: Builtin] = [:]
        for (name, builtin) in creation { table[name] = builtin }
        for (name, builtin) in elementwise { table[name] = builtin }
        for (name, builtin) in reductions { table[name] = builtin }
        for (name, builtin) in structure { table[name] = builtin }
        for (name, builtin) in Stencils.table { table[name] = builtin }
        for (name, builtin) in files { table[name] = builtin }
        return table
    }()

    /// Every function name, for "did you mean" hints and help; the Dask bridge translates the
    /// same set (python/blocktop_bridge/translate.py's FUNCTION_NAMES, checked by a test).
    package static var names: [String] { table.keys.sorted() }

    private static let creation: [String: Builtin] = [
        "random": Builtin(parameters: ["shape", "chunks", "seed"], required: 1) { (a) throws(ExpressionError) in
            let shape = try a.shape("shape"), chunks = try a.creationChunks(), seed = try a.seed()
            return .array(try a.library { try BlockArray.random(shape, chunks: chunks, seed: seed) })
        },
        "normal": Builtin(parameters: ["shape", "chunks", "seed", "loc", "scale"], required: 1) { (a) throws(ExpressionError) in
            let shape = try a.shape("shape"), chunks = try a.creationChunks(), seed = try a.seed()
            let mean = try a.number("loc", default: 0), scale = try a.number("scale", default: 1)
            return .array(try a.library { try BlockArray.normal(shape, chunks: chunks, seed: seed, mean: mean, standardDeviation: scale) })
        },
        "ones": Builtin(parameters: ["shape", "chunks"], required: 1) { (a) throws(ExpressionError) in
            let shape = try a.shape("shape"), chunks = try a.creationChunks()
            return .array(try a.library { try BlockArray.ones(shape, chunks: chunks) })
        },
        "zeros": Builtin(parameters: ["shape", "chunks"], required: 1) { (a) throws(ExpressionError) in
            let shape = try a.shape("shape"), chunks = try a.creationChunks()
            return .array(try a.library { try BlockArray.zeros(shape, chunks: chunks) })
        },
        "full": Builtin(parameters: ["shape", "fill_value", "chunks"], required: 2) { (a) throws(ExpressionError) in
            let shape = try a.shape("shape"), value = try a.number("fill_value"), chunks = try a.creationChunks()
            return .array(try a.library { try BlockArray.full(shape, value, chunks: chunks) })
        },
        "arange": Builtin(parameters: ["start", "stop", "step", "chunks"], required: 1) { (a) throws(ExpressionError) in
            // arange(stop) or arange(start, stop[, step]), as NumPy.
            let first = try a.number("start")
            let (start, stop) = a.has("stop") ? (first, try a.number("stop")) : (0, first)
            let step = try a.number("step", default: 1), chunks = try a.creationChunks()
            return .array(try a.library(elements: "stop") { try BlockArray.arange(start, stop, step: step, chunks: chunks) })
        },
        "linspace": Builtin(parameters: ["start", "stop", "num", "endpoint", "chunks"], required: 2) { (a) throws(ExpressionError) in
            let start = try a.number("start"), stop = try a.number("stop")
            let count = try a.integer("num", default: 50), endpoint = try a.bool("endpoint", default: true)
            let chunks = try a.creationChunks()
            return .array(try a.library { try BlockArray.linspace(start, stop, count: count, endpoint: endpoint, chunks: chunks) })
        },
        "eye": Builtin(parameters: ["N", "M", "k", "chunks"], required: 1) { (a) throws(ExpressionError) in
            let rows = try a.integer("N"), columns = try a.optionalInteger("M"), k = try a.integer("k", default: 0)
            let chunks = try a.creationChunks()
            return .array(try a.library { try BlockArray.eye(rows, columns: columns, k: k, chunks: chunks) })
        },
    ]

    private static func unary(_ operation: UnaryOperation) -> Builtin {
        Builtin(parameters: ["x"], required: 1) { (a) throws(ExpressionError) in
            switch a.value("x") {
            case .number(let number): return .number(operation.apply(number))
            default: return .array(try a.array("x").apply(operation))
            }
        }
    }

    private static func binary(_ operation: BinaryOperation) -> Builtin {
        Builtin(parameters: ["x1", "x2"], required: 2) { (a) throws(ExpressionError) in
            try Operators.binary(operation, a.value("x1"), a.value("x2"), symbol: a.function, source: a.source, at: a.callRange)
        }
    }

    private static let elementwise: [String: Builtin] = {
        var table: [String: Builtin] = [:]
        for operation in UnaryOperation.allCases where operation != .negate { table[operation.rawValue] = unary(operation) }
        table["negative"] = unary(.negate)
        for operation in [BinaryOperation.maximum, .minimum, .power, .mod, .logicalAnd, .logicalOr] {
            table[operation.rawValue] = binary(operation)
        }
        table["remainder"] = binary(.mod)
        table["astype"] = Builtin(parameters: ["x", "dtype"], required: 2) { (a) throws(ExpressionError) in
            let x = try a.array("x")
            guard let name = try a.string("dtype") else { throw a.fail("dtype", "'dtype' must be a string, as 'int32'") }
            guard let type = ElementType(rawValue: name) else {
                throw a.fail("dtype", "unknown dtype '\(name)'; blocktop converts to \(ElementType.allCases.map(\.rawValue).joined(separator: ", "))", .badValue)
            }
            return .array(x.astype(type))
        }
        table["clip"] = Builtin(parameters: ["x", "a_min", "a_max"], required: 3) { (a) throws(ExpressionError) in
            let lower = try a.number("a_min"), upper = try a.number("a_max")
            guard lower <= upper else { throw a.fail("a_max", "a_min \(lower) is above a_max \(upper)", .badValue) }
            return .array(try a.array("x").clip(lower, upper))
        }
        table["check_finite"] = Builtin(parameters: ["x"], required: 1) { (a) throws(ExpressionError) in
            .array(try a.array("x").checkFinite())
        }
        table["where"] = Builtin(parameters: ["condition", "x", "y"], required: 3) { (a) throws(ExpressionError) in
            let condition = try a.array("condition"), x = try a.array("x"), y = try a.array("y")
            return .array(try a.library { try BlockArray.where(condition, x, y) })
        }
        return table
    }()

    private static func reduction(
        _ name: String,
        _ build: @escaping @Sendable (BlockArray, [Int]?, Bool, Int?, Int) throws -> BlockArray
    ) -> Builtin {
        Builtin(parameters: ["x", "axis", "keepdims", "split_every", "ddof"], required: 1) { (a) throws(ExpressionError) in
            let x = try a.array("x"), axes = try a.integers("axis")
            let keepDims = try a.bool("keepdims", default: false), splitEvery = try a.optionalInteger("split_every")
            let ddof = try a.integer("ddof", default: 0)
            if a.has("ddof") && !["var", "std", "nanvar", "nanstd"].contains(name) {
                throw a.fail("ddof", "only var, std, nanvar and nanstd take ddof")
            }
            return .array(try a.library(at: a.has("axis") ? a.range("axis") : nil) { try build(x, axes, keepDims, splitEvery, ddof) })
        }
    }

    private static func argReduction(_ build: @escaping @Sendable (BlockArray, Int?, Int?) throws -> BlockArray) -> Builtin {
        Builtin(parameters: ["x", "axis", "split_every"], required: 1) { (a) throws(ExpressionError) in
            let x = try a.array("x"), axis = try a.optionalInteger("axis"), splitEvery = try a.optionalInteger("split_every")
            return .array(try a.library(at: a.has("axis") ? a.range("axis") : nil) { try build(x, axis, splitEvery) })
        }
    }

    /// `cumsum(x, axis=None)`: along the flattened array when `axis` is left out, as NumPy.
    private static func cumulative(_ build: @escaping @Sendable (BlockArray, Int?) throws -> BlockArray) -> Builtin {
        Builtin(parameters: ["x", "axis"], required: 1) { (a) throws(ExpressionError) in
            let x = try a.array("x"), axis = try a.optionalInteger("axis")
            return .array(try a.library(at: a.has("axis") ? a.range("axis") : nil) { try build(x, axis) })
        }
    }

    private static let reductions: [String: Builtin] = [
        "sum": reduction("sum") { x, axes, keep, split, _ in try x.sum(axes: axes, keepDims: keep, splitEvery: split) },
        "mean": reduction("mean") { x, axes, keep, split, _ in try x.mean(axes: axes, keepDims: keep, splitEvery: split) },
        "min": reduction("min") { x, axes, keep, split, _ in try x.min(axes: axes, keepDims: keep, splitEvery: split) },
        "max": reduction("max") { x, axes, keep, split, _ in try x.max(axes: axes, keepDims: keep, splitEvery: split) },
        "prod": reduction("prod") { x, axes, keep, split, _ in try x.prod(axes: axes, keepDims: keep, splitEvery: split) },
        "var": reduction("var") { try $0.variance(axes: $1, ddof: $4, keepDims: $2, splitEvery: $3) },
        "std": reduction("std") { try $0.std(axes: $1, ddof: $4, keepDims: $2, splitEvery: $3) },
        "nansum": reduction("nansum") { x, axes, keep, split, _ in try x.nanSum(axes: axes, keepDims: keep, splitEvery: split) },
        "nanmean": reduction("nanmean") { x, axes, keep, split, _ in try x.nanMean(axes: axes, keepDims: keep, splitEvery: split) },
        "nanmin": reduction("nanmin") { x, axes, keep, split, _ in try x.nanMin(axes: axes, keepDims: keep, splitEvery: split) },
        "nanmax": reduction("nanmax") { x, axes, keep, split, _ in try x.nanMax(axes: axes, keepDims: keep, splitEvery: split) },
        "nanvar": reduction("nanvar") { try $0.nanVariance(axes: $1, ddof: $4, keepDims: $2, splitEvery: $3) },
        "nanstd": reduction("nanstd") { try $0.nanStd(axes: $1, ddof: $4, keepDims: $2, splitEvery: $3) },
        "cumsum": cumulative { try $0.cumsum(axis: $1) },
        "cumprod": cumulative { try $0.cumprod(axis: $1) },
        "argmin": argReduction { try $0.argmin(axis: $1, splitEvery: $2) },
        "argmax": argReduction { try $0.argmax(axis: $1, splitEvery: $2) },
    ]

    private static let structure: [String: Builtin] = [
        "matmul": Builtin(parameters: ["x1", "x2"], required: 2) { (a) throws(ExpressionError) in
            let x = try a.array("x1"), y = try a.array("x2")
            return .array(try a.library { try BlockArray.matmul(x, y) })
        },
        "dot": Builtin(parameters: ["a", "b"], required: 2) { (a) throws(ExpressionError) in
            let x = try a.array("a"), y = try a.array("b")
            return .array(try a.library { try BlockArray.matmul(x, y) })
        },
        "transpose": Builtin(parameters: ["x", "axes"], required: 1) { (a) throws(ExpressionError) in
            let x = try a.array("x"), axes = try a.integers("axes")
            return .array(try a.library(at: a.has("axes") ? a.range("axes") : nil) { try x.transpose(axes) })
        },
        "reshape": Builtin(parameters: ["x", "shape"], required: 2, lastGathers: true) { (a) throws(ExpressionError) in
            let x = try a.array("x"), shape = try a.shape("shape")
            return .array(try a.library(at: a.range("shape")) { try x.reshape(shape) })
        },
        "rechunk": Builtin(parameters: ["x", "chunks"], required: 2) { (a) throws(ExpressionError) in
            let x = try a.array("x"), chunks = try a.chunks()
            return .array(try a.library(at: a.range("chunks")) { try x.rechunk(chunks) })
        },
        "concatenate": Builtin(parameters: ["arrays", "axis"], required: 1) { (a) throws(ExpressionError) in
            let arrays = try a.arrays("arrays"), axis = try a.integer("axis", default: 0)
            return .array(try a.library(elements: "arrays", blocks: "arrays") { try BlockArray.concatenate(arrays, axis: axis) })
        },
        "stack": Builtin(parameters: ["arrays", "axis"], required: 1) { (a) throws(ExpressionError) in
            let arrays = try a.arrays("arrays"), axis = try a.integer("axis", default: 0)
            return .array(try a.library(elements: "arrays", blocks: "arrays") { try BlockArray.stack(arrays, axis: axis) })
        },
    ]
}

extension Arguments {
    /// A sequence of arrays (numbers become 0-d arrays).
    func arrays(_ name: String) throws(ExpressionError) -> [BlockArray] {
        guard case .sequence(let items) = value(name) else {
            throw fail(name, "'\(name)' must be a list of arrays, got \(value(name).typeName)")
        }
        return try items.map { (item) throws(ExpressionError) -> BlockArray in
            switch item {
            case .array(let array): return array
            case .number(let number): return try scalarArray(number, at: range(name))
            default: throw fail(name, "'\(name)' must hold arrays, got \(item.typeName)")
            }
        }
    }
}
