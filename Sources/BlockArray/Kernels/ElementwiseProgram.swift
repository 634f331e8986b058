import Foundation

/// An elementwise expression compiled to straight-line vector instructions.
///
/// Evaluation walks the block in tiles of `tileSize` elements; each instruction
/// is one tight loop over a tile, so the interpreter's dispatch is paid once per
/// tile and intermediate values stay in cache. Identical subtrees are computed
/// once, constant subtrees are folded, `x ** 2` becomes `x * x`, and `sin(a)` and
/// `cos(a)` of one operand share one argument reduction (`VectorSinCos`).
package struct ElementwiseProgram: Sendable {
    private enum Instruction: Sendable {
        case unary(UnaryOperation, Int, into: Int)
        case binary(BinaryOperation, Int, Int, into: Int)
        case select(Int, Int, Int, into: Int)
        case sincos(Int, sine: Int, cosine: Int)
    }

    package static let tileSize = 1024

    /// Slots 0..<inputCount read the inputs; then one slot per constant; then temporaries.
    private let inputCount: Int
    private let constants: [Double]
    private let instructions: [Instruction]
    private let resultSlot: Int
    private let slotCount: Int

    package init(_ expression: ElementwiseExpression, inputCount: Int) {
        var compiler = Compiler(inputCount: inputCount)
        let simplified = Compiler.simplify(expression)
        compiler.collectSinCos(simplified)
        compiler.collectConstants(simplified)
        let result = compiler.emit(simplified)
        self.inputCount = inputCount
        self.constants = compiler.constants
        self.instructions = compiler.instructions
        self.resultSlot = result
        self.slotCount = compiler.nextSlot
    }

    private struct Compiler {
        let inputCount: Int
        var constants: [Double] = []
        var instructions: [Instruction] = []
        var slots: [ElementwiseExpression: Int] = [:]
        var nextSlot: Int
        /// Operands of both a sin and a cos somewhere in the expression.
        var sharedSinCos: Set<ElementwiseExpression> = []

        init(inputCount: Int) {
            self.inputCount = inputCount
            self.nextSlot = inputCount
        }

        static func simplify(_ e: ElementwiseExpression) -> ElementwiseExpression {
            switch e {
            case .input, .constant: return e
            case .unary(let op, let a):
                let a = simplify(a)
                if case .constant(let v) = a { return .constant(op.apply(v)) }
                return .unary(op, a)
            case .binary(let op, let a, let b):
                let a = simplify(a), b = simplify(b)
                if case .constant(let x) = a, case .constant(let y) = b { return .constant(op.apply(x, y)) }
                if op == .power, case .constant(2) = b { return .binary(.multiply, a, a) }
                return .binary(op, a, b)
            case .select(let c, let a, let b):
                let c = simplify(c), a = simplify(a), b = simplify(b)
                if case .constant(let v) = c { return v != 0 ? a : b }
                return .select(c, a, b)
            }
        }

        /// Finds the operands that appear under both sin and cos.
        mutating func collectSinCos(_ e: ElementwiseExpression) {
            var sines: Set<ElementwiseExpression> = [], cosines: Set<ElementwiseExpression> = []
            func walk(_ e: ElementwiseExpression) {
                switch e {
                case .input, .constant: break
                case .unary(let op, let a):
                    if op == .sin { sines.insert(a) }
                    if op == .cos { cosines.insert(a) }
                    walk(a)
                case .binary(_, let a, let b): walk(a); walk(b)
                case .select(let c, let a, let b): walk(c); walk(a); walk(b)
                }
            }
            walk(e)
            sharedSinCos = sines.intersection(cosines)
        }

        /// Gives every constant its slot before any temporary, so constants are filled once.
        mutating func collectConstants(_ e: ElementwiseExpression) {
            switch e {
            case .input: break
            case .constant(let v):
                if slots[e] == nil {
                    slots[e] = nextSlot
                    nextSlot += 1
                    constants.append(v)
                }
            case .unary(_, let a): collectConstants(a)
            case .binary(_, let a, let b): collectConstants(a); collectConstants(b)
            case .select(let c, let a, let b): collectConstants(c); collectConstants(a); collectConstants(b)
            }
        }

        mutating func emit(_ e: ElementwiseExpression) -> Int {
            if case .input(let i) = e { return i }
            if let slot = slots[e] { return slot }
            let instruction: (Int) -> Instruction
            switch e {
            case .input, .constant: fatalError("handled above")
            case .unary(let op, let a) where (op == .sin || op == .cos) && sharedSinCos.contains(a):
                let sa = emit(a)
                let sine = nextSlot, cosine = nextSlot + 1
                nextSlot += 2
                instructions.append(.sincos(sa, sine: sine, cosine: cosine))
                slots[.unary(.sin, a)] = sine
                slots[.unary(.cos, a)] = cosine
                return op == .sin ? sine : cosine
            case .unary(let op, let a):
                let sa = emit(a)
                instruction = { .unary(op, sa, into: $0) }
            case .binary(let op, let a, let b):
                let sa = emit(a), sb = emit(b)
                instruction = { .binary(op, sa, sb, into: $0) }
            case .select(let c, let a, let b):
                let sc = emit(c), sa = emit(a), sb = emit(b)
                instruction = { .select(sc, sa, sb, into: $0) }
            }
            let slot = nextSlot
            nextSlot += 1
            instructions.append(instruction(slot))
            slots[e] = slot
            return slot
        }
    }

    /// Evaluates `count` elements; `inputs[i]` points at `count` values of input `i`.
    package func evaluate(inputs: [UnsafePointer<Double>], count: Int, into output: UnsafeMutablePointer<Double>) {
        precondition(inputs.count == inputCount)
        let tile = min(Self.tileSize, count)
        guard tile > 0 else { return }
        let scratchSlots = slotCount - inputCount
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: max(1, scratchSlots * tile))
        defer { scratch.deallocate() }
        for (i, value) in constants.enumerated() {
            (scratch + i * tile).initialize(repeating: value, count: tile)
        }
        var pointers = [UnsafeMutablePointer<Double>](repeating: output, count: slotCount)
        for slot in inputCount..<slotCount {
            pointers[slot] = scratch + (slot - inputCount) * tile
        }
        let lastInstruction = instructions.count - 1
        var start = 0
        while start < count {
            let n = min(tile, count - start)
            for i in 0..<inputCount {
                pointers[i] = UnsafeMutablePointer(mutating: inputs[i] + start)
            }
            for (position, instruction) in instructions.enumerated() {
                let isLast = position == lastInstruction
                switch instruction {
                case .unary(let op, let a, let d):
                    Self.run(op, pointers[a], isLast ? output + start : pointers[d], n)
                case .binary(let op, let a, let b, let d):
                    Self.run(op, pointers[a], pointers[b], isLast ? output + start : pointers[d], n)
                case .select(let c, let a, let b, let d):
                    let (pc, pa, pb) = (pointers[c], pointers[a], pointers[b])
                    let out = isLast ? output + start : pointers[d]
                    for k in 0..<n { out[k] = pc[k] != 0 ? pa[k] : pb[k] }
                case .sincos(let a, let sine, let cosine):
                    // Never last: whatever reads both results comes after it.
                    let (pa, ps, pc) = (pointers[a], pointers[sine], pointers[cosine])
                    VectorSinCos.evaluate(pa, sine: ps, cosine: pc, count: n)
                }
            }
            if instructions.isEmpty {
                (output + start).update(from: pointers[resultSlot], count: n)
            }
            start += n
        }
    }

    private static func run(_ op: UnaryOperation, _ a: UnsafeMutablePointer<Double>,
                            _ d: UnsafeMutablePointer<Double>, _ n: Int) {
        switch op {
        case .negate: for k in 0..<n { d[k] = -a[k] }
        case .abs: for k in 0..<n { d[k] = Swift.abs(a[k]) }
        case .sqrt: for k in 0..<n { d[k] = a[k].squareRoot() }
        case .exp: for k in 0..<n { d[k] = Foundation.exp(a[k]) }
        case .log: for k in 0..<n { d[k] = Foundation.log(a[k]) }
        case .sin: VectorSinCos.evaluate(a, sine: d, cosine: nil, count: n)
        case .cos: VectorSinCos.evaluate(a, sine: nil, cosine: d, count: n)
        case .tan: for k in 0..<n { d[k] = Foundation.tan(a[k]) }
        case .tanh: for k in 0..<n { d[k] = Foundation.tanh(a[k]) }
        case .isnan, .isfinite, .logicalNot: for k in 0..<n { d[k] = op.apply(a[k]) }
        }
    }

    private static func run(_ op: BinaryOperation, _ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>,
                            _ d: UnsafeMutablePointer<Double>, _ n: Int) {
        switch op {
        case .add: for k in 0..<n { d[k] = a[k] + b[k] }
        case .subtract: for k in 0..<n { d[k] = a[k] - b[k] }
        case .multiply: for k in 0..<n { d[k] = a[k] * b[k] }
        case .divide: for k in 0..<n { d[k] = a[k] / b[k] }
        default: for k in 0..<n { d[k] = op.apply(a[k], b[k]) }
        }
    }
}
