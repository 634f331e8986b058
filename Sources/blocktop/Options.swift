import ArgumentParser
import ArrayFiles
import BlocktopSupport
import Dashboard
import Foundation
import Runs

/// How the dashboard looks and when it closes: the same options for run, sweep and scale.
struct DashboardLookOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Dashboard refreshes per second.")
    var refresh = 10.0

    @Option(help: "Colour: never, auto (follows the terminal and NO_COLOR) or always.")
    var color: ColorChoice = .auto

    @Option(help: "Theme name or .theme file (t cycles through them in the dashboard).")
    var theme = "default"

    @Option(help: "A folder searched for themes before the standard ones.")
    var themesDir: String?

    /// What the dashboard does when the run (or the series) ends.
    enum WhenDone: EnumerableFlag {
        case keepOpen, closeWhenDone

        static func help(for value: WhenDone) -> ArgumentHelp? {
            switch value {
            case .keepOpen: "Stay on the final figures until q when the run ends."
            case .closeWhenDone: "Close the dashboard when the run (or the series) ends; a failed run stays open."
            }
        }
    }

    @Flag var whenDone: WhenDone = .keepOpen

    func validate() throws {
        guard refresh > 0, refresh <= 100 else { throw ValidationError("--refresh must be in (0, 100], got \(refresh)") }
        try checkTheme(theme, themesDirectory: themesDir)
    }
}

/// Where the results go: the dashboard or not, the report's form, and the trace file.
struct ReportOptions: ParsableArguments {
    @Flag(help: "No dashboard: progress on stderr and the report (or the table) on stdout.")
    var headless = false

    @Flag(help: "Print the report (or the table) as one JSON object.")
    var json = false

    @Option(help: "Write the runs to this file in Chrome's trace-event format (Perfetto, chrome://tracing).")
    var trace: String?

    func validate() throws {
        if let trace { try checkWritable(trace, option: "--trace") }
    }

    /// Whether to open the dashboard: not when asked for none, nor without a terminal on stdout.
    var wantsDashboard: Bool { !headless && isatty(STDOUT_FILENO) == 1 }
}

/// How often a sweep or a scaling series runs each setting.
struct RepeatOptions: ParsableArguments {
    @Option(name: .customLong("repeat"), parsing: .unconditional,
            help: "Runs of each setting after one warm-up run, in alternating order; the table shows their median and min–max.")
    var repeats = 3

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeat must be ≥ 1, got \(repeats)") }
    }
}

extension ColorChoice: ExpressibleByArgument {}

/// Where the result array goes: an array file written block by block as the run goes.
struct ArrayOutputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Write the result to this array file (the extension names the format: .npy, .h5, .hdf5, .zarr), block by block as the run goes; whole or not at all (a temporary file or folder beside it, renamed at the end).",
                               valueName: "path"))
    var output: String?

    @Option(help: "Element type of --output: float64 (default), float32, int32 or int64; NaN or a value out of range of an integer type fails the run.")
    var dtype: OutputElementType?

    @Option(help: "Zarr format of a .zarr --output: 3 (default) or 2.")
    var zarrFormat: Int?

    @Flag(help: "Let --output replace a file that exists (or a Zarr store).")
    var force = false

    @Option(help: ArgumentHelp("The dataset an HDF5 --output (.h5, .hdf5) holds (default \(HDF5Writer.defaultDataset)); groups on the way are made.",
                               valueName: "name"))
    var dataset: String?

    func validate() throws {
        guard let output else {
            if dtype != nil { throw ValidationError("--dtype needs --output") }
            if force { throw ValidationError("--force needs --output") }
            if dataset != nil { throw ValidationError("--dataset needs --output") }
            if zarrFormat != nil { throw ValidationError("--zarr-format needs --output") }
            return
        }
        let format: ArrayFormat
        do {
            format = try ArrayFormat(path: output)
        } catch {
            throw ValidationError("--output: \(error)")
        }
        if dataset != nil && format != .hdf5 { throw ValidationError("--dataset names the dataset of an HDF5 --output (.h5, .hdf5)") }
        if let zarrFormat {
            guard format == .zarr else { throw ValidationError("--zarr-format needs a .zarr --output") }
            guard zarrFormat == 2 || zarrFormat == 3 else { throw ValidationError("--zarr-format must be 2 or 3, got \(zarrFormat)") }
        }
        if format == .zarr {
            do {
                try ZarrWriter.checkTarget(output, replacing: force)
                return
            } catch {
                throw ValidationError("--output: \(error)")
            }
        }
        try checkWritable(output, option: "--output")
        switch try? OutputFile.resolve(output) {
        case .regular(_, .some) where !force:
            throw ValidationError("--output: '\(output)' exists; give --force to replace it")
        case .special, .standardOutput:
            throw ValidationError("--output: '\(output)' is not a regular file: an array is written at offsets, and a FIFO or device is never replaced")
        default: break
        }
    }

    /// The element type written.
    var elementType: NPYDType { (dtype ?? .float64).npy }

    /// The file asked for; nil without `--output`.
    var request: OutputRequest? {
        output.map { OutputRequest(path: $0, elementType: elementType, dataset: dataset, zarrFormat: zarrFormat ?? 3, replacing: force) }
    }
}

/// The element types `--dtype` offers.
enum OutputElementType: String, CaseIterable, ExpressibleByArgument {
    case float64, float32, int32, int64

    var npy: NPYDType {
        switch self {
        case .float64: .float64
        case .float32: .float32
        case .int32: .int32
        case .int64: .int64
        }
    }
}
