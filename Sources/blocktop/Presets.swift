import ArgumentParser
import Expressions

/// `blocktop presets`: the named computations, one line each.
struct Presets: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the preset computations.")

    @Flag(help: "Also print each preset's expression.")
    var verbose = false

    func run() {
        let width = Preset.all.map(\.name.count).max() ?? 0
        for preset in Preset.all {
            print(preset.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + preset.summary)
            if verbose { print(String(repeating: " ", count: width + 2) + preset.expression) }
        }
    }
}
