/// Expands the layers reachable from a root array into tasks, merging each
/// elementwise layer with the elementwise layers it alone consumes.
///
/// An input is merged when it is elementwise, has the consumer's shape and
/// chunks (so blocks line up one to one), and no other layer reads it; its
/// expression is then inlined and it produces no tasks of its own.
package struct LayerMaterializer {
    private let root: BlockArray
    private let fuseElementwise: Bool
    /// How many distinct layers read each layer.
    private var consumerCount: [String: Int] = [:]

    package init(root: BlockArray, fuseElementwise: Bool) {
        self.root = root
        self.fuseElementwise = fuseElementwise
        var seen: Set<String> = [root.name]
        var pending = [root]
        while let array = pending.popLast() {
            for input in Set(array.layer.inputs.map(\.name)) {
                consumerCount[input, default: 0] += 1
            }
            for input in array.layer.inputs where seen.insert(input.name).inserted {
                pending.append(input)
            }
        }
    }

    /// All tasks of the (possibly fused) layers, each layer's together, in sets as their layers
    /// describe them (a grid described once, or task by task); and for each set, the chunkings
    /// its block indices may count in: the array its layer makes, then that layer's inputs.
    package func taskSets() -> (sets: [TaskSet], chunkings: [[Chunks]]) {
        var sets: [TaskSet] = []
        var chunkings: [[Chunks]] = []
        var done: Set<String> = []
        var pending = [root]
        while let array = pending.popLast() {
            guard done.insert(array.name).inserted else { continue }
            let inputs: [BlockArray]
            switch array.layer {
            case .elementwise(let expression, let layerInputs):
                let (fused, leaves, layers) = fuseElementwise
                    ? inline(expression, layerInputs, into: array)
                    : (expression, layerInputs, 1)
                sets.append(.grid(elementwiseTasks(array, fused, leaves, mergedLayers: layers)))
                inputs = leaves
            case .transpose(let source, let axes):
                sets.append(.explicit(transposeTasks(array, source, axes)))
                inputs = [source]
            case .tasks(let layerInputs, let make):
                sets.append(.explicit(make()))
                inputs = layerInputs
            case .taskSets(let layerInputs, let make):
                sets += make()
                inputs = layerInputs
            }
            chunkings += Array(repeating: [array.chunks] + inputs.map(\.chunks), count: sets.count - chunkings.count)
            pending.append(contentsOf: inputs)
        }
        return (sets, chunkings)
    }

    /// The expression with every mergeable input inlined, over the remaining leaf
    /// inputs, and how many layers it now stands for.
    private func inline(
        _ expression: ElementwiseExpression, _ inputs: [BlockArray], into consumer: BlockArray
    ) -> (ElementwiseExpression, [BlockArray], Int) {
        var leaves: [BlockArray] = []
        var layers = 1
        var replacements: [ElementwiseExpression] = []
        func leaf(_ array: BlockArray) -> ElementwiseExpression {
            if let existing = leaves.firstIndex(where: { $0.name == array.name }) { return .input(existing) }
            leaves.append(array)
            return .input(leaves.count - 1)
        }
        for input in inputs {
            if case .elementwise(let innerExpression, let innerInputs) = input.layer,
               input.chunks == consumer.chunks, consumerCount[input.name] == 1 {
                let (inner, innerLeaves, innerLayers) = inline(innerExpression, innerInputs, into: input)
                replacements.append(inner.substituting(innerLeaves.map(leaf)))
                layers += innerLayers
            } else {
                replacements.append(leaf(input))
            }
        }
        return (expression.substituting(replacements), leaves, layers)
    }
}
