import Foundation

/// The tests' Python: the virtual environment `make venv` makes under `.build/venv`, with the
/// packages pinned in Tests/requirements.txt (NumPy, zarr).
///
/// Tests that need it fail, not skip, when it is missing: a skipped comparison with NumPy would
/// look like a passing one.
package enum Python {
    /// `.build/venv/bin/python` of the package this test binary was built in.
    package static var executable: String {
        // The test bundle runs from .build/<config>/ (or a triple folder below .build): walk up to .build.
        var folder = Blocktop.binary.deletingLastPathComponent()
        while folder.path != "/" && folder.lastPathComponent != ".build" { folder = folder.deletingLastPathComponent() }
        return folder.appendingPathComponent("venv/bin/python").path
    }

    /// Runs `script` with the venv's Python, `arguments` as `sys.argv[1...]`; returns its stdout.
    /// Throws, saying how to make the venv, when it is missing, and with stderr when the script fails.
    @discardableResult
    package static func run(_ script: String, _ arguments: [String] = []) throws -> String {
        let python = executable
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw SupportFailure("the tests' Python is missing at \(python): run `make venv` (it installs Tests/requirements.txt)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let errors = Reader(err.fileHandleForReading)
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderr = String(decoding: errors.wait(), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw SupportFailure("python exited with \(process.terminationStatus): \(stderr)")
        }
        return String(decoding: output, as: UTF8.self)
    }
}
