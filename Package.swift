// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "blocktop",
    products: [
        .executable(name: "blocktop", targets: ["blocktop"]),
        .library(name: "BlockArray", targets: ["BlockArray"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // OpenBLAS's CBLAS interface plus its thread-count calls (pkg-config `openblas`).
        .systemLibrary(
            name: "CBLAS",
            path: "Sources/CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // libm's sincos behind a prefixed wrapper (a GNU extension the Glibc module does not import).
        .systemLibrary(name: "CMath", path: "Sources/CMath"),
        // Wide-character ncurses plus shims for what Swift cannot import (pkg-config `ncursesw`).
        .systemLibrary(
            name: "CCurses",
            path: "Sources/CCurses",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        // The HDF5 C library, Debian's serial build (pkg-config `hdf5-serial`; `hdf5` may name an MPI
        // build instead), plus shims for the macros Swift cannot import.
        .systemLibrary(
            name: "CHDF5",
            path: "Sources/CHDF5",
            pkgConfig: "hdf5-serial",
            providers: [.apt(["libhdf5-dev"])]
        ),
        // Zarr's compressors: zstd, c-blosc 1.x and zlib (gzip and zlib streams; pkg-config `libzstd`, `blosc`, `zlib`).
        .systemLibrary(name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CBlosc", path: "Sources/CBlosc", pkgConfig: "blosc", providers: [.apt(["libblosc-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Generic helpers several modules share: the clock, a latch, byte counts, exit statuses, JSON, output files, escaping terminal controls.
        .target(name: "BlocktopSupport"),
        // The words every layer uses of a run: its settings, where it stands and how it ended, and the CPUs others took from it.
        .target(name: "RunVocabulary", dependencies: ["BlocktopSupport"]),
        // Tuning: a series of runs that varies block size or worker count, its plan and chart, statistics, verdict and tables.
        .target(name: "Tuning", dependencies: ["RunVocabulary", "BlocktopSupport"]),
        .target(name: "BlockArray", dependencies: ["CBLAS", "CMath"]),
        .target(name: "Engine", dependencies: ["BlockArray", "Telemetry", "RunVocabulary", "BlocktopSupport"]),
        .target(name: "Telemetry", dependencies: ["BlocktopSupport"]),
        // Array files (.npy, HDF5, Zarr): block reads and writes for BlockArray, which does not know about files.
        .target(name: "ArrayFiles", dependencies: ["BlockArray", "BlocktopSupport", "CHDF5", "CZstd", "CBlosc", "CZlib"]),
        .target(name: "Expressions", dependencies: ["BlockArray", "ArrayFiles", "BlocktopSupport"]),
        .target(name: "Reporting", dependencies: ["BlockArray", "Engine", "Telemetry", "RunVocabulary", "BlocktopSupport"]),
        // What a frame shows, built from a source's polls: sources, runs and fuzzers depend on it, never on ncurses.
        .target(name: "DashboardModel", dependencies: ["RunVocabulary"]),
        // Themes: btop's theme files and blocktop's keys, their colours, gradients and contrast; no ncurses.
        .target(name: "Themes"),
        // Panels, layout and keys drawn into a Frame in a theme's colours; the terminal backend (ncurses) apart.
        .target(name: "Dashboard", dependencies: ["DashboardModel", "Themes", "Tuning", "RunVocabulary", "CCurses", "BlocktopSupport"]),
        // The backend seam: a computation, a backend that runs it, a session the dashboard polls or a
        // command advances, one finished run's report and trace; the launcher, headless loop and tuning series over any backend.
        .target(name: "Runs", dependencies: ["DashboardModel", "Reporting", "Tuning", "Expressions", "ArrayFiles", "BlockArray", "Engine", "Telemetry", "RunVocabulary",
                                             "BlocktopSupport"]),
        // The local backend: the engine as a run session.
        .target(name: "RunSources", dependencies: ["Runs", "DashboardModel", "Engine", "BlockArray", "ArrayFiles", "Expressions", "Telemetry",
                                                   "Reporting", "RunVocabulary", "BlocktopSupport"]),
        // A Dask cluster as a source: the Python bridge's JSON lines, or the scheduler's HTTP server;
        // and a watched local dask program (the bridge's watch mode, with this machine's telemetry).
        .target(name: "ClusterSources", dependencies: ["Runs", "DashboardModel", "Telemetry", "Reporting", "Expressions", "ArrayFiles", "BlockArray",
                                                       "RunVocabulary", "BlocktopSupport"]),
        .executableTarget(
            name: "blocktop",
            dependencies: [
                "BlockArray",
                "Engine",
                "Telemetry",
                "Dashboard",
                "Themes",
                "DashboardModel",
                "BlocktopSupport",
                "RunVocabulary",
                "Tuning",
                "Runs",
                "RunSources",
                "ClusterSources",
                "Expressions",
                "ArrayFiles",
                "Reporting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "blocktop-bench",
            dependencies: ["BlockArray", "BlocktopSupport", "CBLAS", "ClusterSources", "Dashboard", "DashboardModel", "Engine", "Expressions", "RunSources",
                           "Telemetry"],
            path: "Benchmarks",
            exclude: ["peers", "cluster", "RESULTS.md"]
        ),
        // What several test targets share: the blocktop binary and how to run it, a tmux driver,
        // waiting on a condition with a deadline, temporary folders, and test tags.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "BlockArrayTests", dependencies: ["BlockArray"]),
        .testTarget(name: "ExpressionsTests", dependencies: ["Expressions", "BlockArray", "TestSupport"]),
        .testTarget(name: "ArrayFilesTests", dependencies: ["ArrayFiles", "BlockArray", "BlocktopSupport", "TestSupport"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "RunSources", "Engine", "BlockArray", "RunVocabulary", "BlocktopSupport", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "BlockArray", "TestSupport"]),
        .testTarget(name: "TelemetryTests", dependencies: ["Telemetry", "CBLAS", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "DashboardTests", dependencies: ["Dashboard", "DashboardModel", "Themes", "Tuning", "RunVocabulary", "BlocktopSupport", "CCurses", "TestSupport"]),
        .testTarget(name: "ClusterSourcesTests", dependencies: ["ClusterSources", "Runs", "Dashboard", "DashboardModel", "RunVocabulary", "BlocktopSupport", "TestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "BlocktopSupportTests", dependencies: ["BlocktopSupport"]),
        .testTarget(name: "RunVocabularyTests", dependencies: ["RunVocabulary", "BlocktopSupport"]),
        // Tuning's statistics and verdict, and its tables over series run through the local backend.
        .testTarget(name: "TuningTests", dependencies: ["Tuning", "Runs", "RunSources", "RunVocabulary"]),
        // The seam's logic (launcher, headless loop, tuning series) driven through a fake backend.
        .testTarget(name: "RunsTests", dependencies: ["Runs", "DashboardModel", "Reporting", "Tuning", "BlockArray", "Expressions", "RunVocabulary", "BlocktopSupport"]),
        // Everything that runs the real blocktop binary: headless command lines and tmux sessions.
        .testTarget(name: "EndToEndTests", dependencies: ["blocktop", "TestSupport"]),
        .testTarget(name: "SystemLibraryTests", dependencies: ["CBLAS", "CCurses", "CHDF5"]),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer targets for the expression, theme, .npy header, Zarr metadata and bridge-line parsers (`make fuzz`). They define
// LLVMFuzzerTestOneInput instead of a main, so they only link with -sanitize=fuzzer:
// they exist only when BLOCKTOP_FUZZ is set, and `swift build` / `swift test` never see them.
if Context.environment["BLOCKTOP_FUZZ"] != nil {
    package.targets += [
        .executableTarget(name: "ExpressionFuzzer", dependencies: ["Expressions"], path: "Fuzz/ExpressionFuzzer"),
        .executableTarget(name: "ThemeFuzzer", dependencies: ["Themes"], path: "Fuzz/ThemeFuzzer"),
        .executableTarget(name: "NPYHeaderFuzzer", dependencies: ["ArrayFiles"], path: "Fuzz/NPYHeaderFuzzer"),
        .executableTarget(name: "ZarrMetadataFuzzer", dependencies: ["ArrayFiles"], path: "Fuzz/ZarrMetadataFuzzer"),
        .executableTarget(name: "BridgeMessageFuzzer", dependencies: ["ClusterSources", "DashboardModel"], path: "Fuzz/BridgeMessageFuzzer"),
    ]
    package.products += [
        .executable(name: "expression-fuzzer", targets: ["ExpressionFuzzer"]),
        .executable(name: "theme-fuzzer", targets: ["ThemeFuzzer"]),
        .executable(name: "npy-header-fuzzer", targets: ["NPYHeaderFuzzer"]),
        .executable(name: "zarr-metadata-fuzzer", targets: ["ZarrMetadataFuzzer"]),
        .executable(name: "bridge-message-fuzzer", targets: ["BridgeMessageFuzzer"]),
    ]
}
