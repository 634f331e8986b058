import BlockArray
import BlocktopSupport
import Expressions
import Telemetry

/// An expression and the defaults it is built with: what every backend runs.
///
/// The block-size rule: without a block size, each creation call uses its `chunks=`, else
/// `defaultBlockSize`; a block size given (`--chunks`, a sweep's sizes, the dashboard's `[` `]`)
/// sets the blocks of every creation call, overriding `chunks=`, and the run says so.
package struct Computation: Sendable, Equatable {
    package let title: String
    package let text: String
    package let defaultBlockSize: Int
    package let seed: UInt64

    package init(title: String, text: String, defaultBlockSize: Int, seed: UInt64) {
        self.title = title
        self.text = text
        self.defaultBlockSize = defaultBlockSize
        self.seed = seed
    }

    /// The preset `name`'s computation (its block size the default); nil for an unknown name.
    package static func preset(_ name: String, seed: UInt64) -> Computation? {
        guard let chosen = Preset.named(name) else { return nil }
        let size: Int = if case .uniform(let size) = chosen.chunks { size } else { 1_000 }
        return Computation(title: chosen.name == "demo" ? "(x @ x.T).sum()" : chosen.expression,
                           text: chosen.expression, defaultBlockSize: size, seed: seed)
    }

    /// The computation `settings` ask for: the expression typed at the `:` prompt, with this
    /// one's defaults, or this one.
    package func replaced(by expression: String?) -> Computation {
        expression.map { Computation(title: $0, text: $0, defaultBlockSize: defaultBlockSize, seed: seed) } ?? self
    }

    /// The program with `blockSize` set for every creation call, or as the text says when nil.
    package func program(blockSize: Int? = nil) throws(ExpressionError) -> Program {
        try Program(text, defaults: defaults(blockSize: blockSize))
    }

    /// The program's syntax tree as JSON, for the Dask bridge to translate (see `Program.syntaxJSON`).
    package func syntaxJSON(blockSize: Int? = nil) throws(ExpressionError) -> String {
        try Program.syntaxJSON(text: text, defaults: defaults(blockSize: blockSize))
    }

    private func defaults(blockSize: Int?) -> Defaults {
        Defaults(chunks: .uniform(defaultBlockSize), chunksOverride: blockSize.map { .uniform($0) }, seed: seed)
    }
}

extension Program {
    /// What the block-size rule did to this program, for a header or a report: nil unless a
    /// block size set on the command line or by a key replaced a `chunks=` of the text.
    package var overrideNote: String? {
        guard !overriddenChunks.isEmpty else { return nil }
        let count = overriddenChunks.count
        return "overriding chunks= of \(count == 1 ? "1 call" : "\(count) calls")"
    }

    /// What the header says of the files the program loads: `from x.npy (int16)`; nil for none.
    package var sourceNote: String? {
        switch loadedFiles.count {
        case 0: return nil
        case 1: return "from \(loadedFiles[0].path) (\(loadedFiles[0].dtype))"
        default: return "from \(loadedFiles.count) files (\(Set(loadedFiles.map(\.dtype)).sorted().joined(separator: ", ")))"
        }
    }

    /// How the blocks were chosen and where the data comes from, for the header; nil when there is nothing to say.
    package var blockNote: String? {
        let note = [overrideNote, sourceNote].compactMap { $0 }.joined(separator: ", ")
        return note.isEmpty ? nil : note
    }
}

extension Computation {
    /// The program with `blockSize` set for every creation call when given (saying on stderr when
    /// that overrides a `chunks=` of the text); bad input when the expression does not build (its
    /// message, the expression and a caret), or when a dense result larger than the memory
    /// available now is to be `heldInMemory` (not when it is written to a file block by block).
    package func checkedProgram(blockSize: Int?, heldInMemory: Bool = true) throws(RunProblem) -> Program {
        let program: Program
        do {
            program = try self.program(blockSize: blockSize)
        } catch {
            throw RunProblem(error.description, badInput: true)
        }
        if let blockSize, let note = program.overrideNote { warn("block size \(blockSize): \(note) in the expression") }
        if heldInMemory, let memory = try? MachineMemory.current(), UInt64(program.result.byteCount) > memory.availableBytes {
            throw RunProblem("the result, an array of shape \(program.result.shape), needs \(ByteCount.text(program.result.byteCount)) but "
                             + "only \(ByteCount.text(memory.availableBytes)) of memory is available; reduce it (e.g. .sum()) or slice it",
                             badInput: true)
        }
        return program
    }
}
