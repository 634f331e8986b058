import Expressions
import Foundation
import Testing
import TestSupport

/// blocktop's functions and the Dask bridge's whitelist are one set: an expression blocktop runs
/// can run on a cluster, and the bridge translates nothing blocktop would refuse.
@Suite struct BridgeWhitelistTests {
    @Test func theBridgeTranslatesExactlyTheBuiltins() throws {
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = """
            import json, sys
            sys.path.insert(0, sys.argv[1])
            from blocktop_bridge.translate import FUNCTION_NAMES
            print(json.dumps(sorted(FUNCTION_NAMES)))
            """
        let output = try Python.run(script, [package.appendingPathComponent("python").path])
        let bridge = try JSONDecoder().decode([String].self, from: Data(output.utf8))
        #expect(!bridge.isEmpty)
        #expect(Set(bridge).subtracting(Builtins.names).sorted() == [], "translated by the bridge, unknown to blocktop")
        #expect(Set(Builtins.names).subtracting(bridge).sorted() == [], "blocktop's, missing from the bridge's whitelist")
    }
}
