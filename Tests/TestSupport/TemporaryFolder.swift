import Foundation

/// A fresh folder under the system's temporary directory, removed with everything in it when released.
package final class TemporaryFolder: Sendable {
    package let url: URL
    package var path: String { url.path }

    /// Creates `<tmp>/<prefix>-<uuid>`.
    package init(_ prefix: String = "blocktop") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// The path of `name` inside the folder.
    package func file(_ name: String) -> String { url.appendingPathComponent(name).path }
}
