import Foundation
import TestSupport

/// Locates the recorded /proc files under Fixtures and builds scratch /proc trees from them.
enum Fixtures {
    /// The Fixtures directory copied into the test bundle.
    static let root: String = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.path

    /// The path of a fixture, such as `stat/debian-2core.txt`.
    static func path(_ name: String) -> String { root + "/" + name }

    /// The text of a fixture.
    static func text(_ name: String) throws -> String {
        try String(contentsOfFile: path(name), encoding: .utf8)
    }
}

/// A scratch directory laid out like /proc, whose files a test replaces between samples.
final class ScratchProc {
    private let folder: TemporaryFolder
    var path: String { folder.path }

    init() throws {
        folder = try TemporaryFolder("telemetry")
    }

    /// Writes the fixture `name` at `relativePath`, such as `self/task/13758/stat`.
    func install(_ name: String, as relativePath: String) throws {
        try write(Fixtures.text(name), as: relativePath)
    }

    /// Writes `text` at `relativePath`.
    func write(_ text: String, as relativePath: String) throws {
        let file = path + "/" + relativePath
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
    }

    /// Removes the file or directory at `relativePath`.
    func remove(_ relativePath: String) throws {
        try FileManager.default.removeItem(atPath: path + "/" + relativePath)
    }
}

/// Whether two percentages agree to within rounding error.
func near(_ a: Double, _ b: Double, within tolerance: Double = 1e-9) -> Bool {
    abs(a - b) <= tolerance
}
