import Foundation
import Testing

/// The recorded inputs in Fixtures/: protocol lines, Prometheus text and a workers page that a
/// real dask distributed 2026.8 scheduler and worker served.
enum Fixture {
    static func text(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil))
        return try String(contentsOf: url, encoding: .utf8)
    }

    static func lines(_ name: String) throws -> [String] {
        try text(name).split(separator: "\n").map(String.init)
    }
}
