import ArgumentParser
import Expressions
import Runs

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
        return Computation.preset(preset ?? "demo", seed: seed)!
    }
}
