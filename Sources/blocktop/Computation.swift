import ArgumentParser
import BlockArray
import Expressions

/// What to compute: an expression typed on the command line, or a preset.
struct ComputationOptions: ParsableArguments {
    @Argument(help: "An expression, e.g. 'x = random((20000, 20000), chunks=2000); (x - x.mean()).std()'. Default: the demo preset.")
    var expression: String?

    @Option(help: "A named computation instead of an expression (see `blocktop presets`).")
    var preset: String?

    @Option(parsing: .unconditional, help: "Seed of random() and normal() calls that give none.")
    var seed: UInt64 = 0

    func validate() throws {
        if expression != nil && preset != nil { throw ValidationError("give an expression or --preset, not both") }
        if let preset, Preset.named(preset) == nil {
            throw ValidationError("unknown preset '\(preset)'; known: \(Preset.all.map(\.name).joined(separator: ", "))")
        }
    }

    /// The computation these options name: the expression, or the preset (the demo by default).
    func computation() -> Computation {
        if let expression { return Computation(title: expression, text: expression, defaultBlockSize: 1_000, seed: seed) }
        let chosen = Preset.named(preset ?? "demo")!
        let size: Int = if case .uniform(let size) = chosen.chunks { size } else { 1_000 }
        return Computation(title: chosen.name == "demo" ? "(x @ x.T).sum()" : chosen.expression,
                           text: chosen.expression, defaultBlockSize: size, seed: seed)
    }
}

/// An expression and the defaults it is built with.
///
/// The block-size rule: without a block size, each creation call uses its `chunks=`, else
/// `defaultBlockSize`; a block size given (`--chunks`, a sweep's sizes, the dashboard's `[` `]`)
/// sets the blocks of every creation call, overriding `chunks=`, and the run says so.
struct Computation {
    let title: String
    let text: String
    let defaultBlockSize: Int
    let seed: UInt64

    /// The program with `blockSize` set for every creation call, or as the text says when nil.
    func program(blockSize: Int? = nil) throws(ExpressionError) -> Program {
        try Program(text, defaults: defaults(blockSize: blockSize))
    }

    /// The program's syntax tree as JSON, for the Dask bridge to translate (see `Program.syntaxJSON`).
    func syntaxJSON(blockSize: Int? = nil) throws(ExpressionError) -> String {
        try Program.syntaxJSON(text: text, defaults: defaults(blockSize: blockSize))
    }

    private func defaults(blockSize: Int?) -> Defaults {
        Defaults(chunks: .uniform(defaultBlockSize), chunksOverride: blockSize.map { .uniform($0) }, seed: seed)
    }
}

extension Program {
    /// What the block-size rule did to this program, for a header or a report: nil unless a
    /// block size set on the command line or by a key replaced a `chunks=` of the text.
    var overrideNote: String? {
        guard !overriddenChunks.isEmpty else { return nil }
        let count = overriddenChunks.count
        return "overriding chunks= of \(count == 1 ? "1 call" : "\(count) calls")"
    }
}
