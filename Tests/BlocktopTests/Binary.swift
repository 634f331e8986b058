import Foundation

/// The blocktop executable that `swift test` built next to this test bundle.
let blocktopBinary: URL = {
    let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    return URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("blocktop")
}()
