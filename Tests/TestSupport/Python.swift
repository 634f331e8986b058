import Foundation

/// The tests' Python: the virtual environment `make venv` makes under `.build/venv`, with the
/// packages pinned in Tests/requirements.txt (NumPy, zarr).
///
/// Tests that need it fail, not skip, when it is missing: a skipped comparison with NumPy would
/// look like a passing one.
package enum Python {
    /// A Python function for scripts that write test files: `sample_values(rng, dt, n)`, `n`
    /// values of NumPy dtype `dt` from the generator `rng`: 0/1 for bools, the whole range for
    /// integers, and for floats normal values ×1000 starting with NaN, inf and -inf (when n > 3).
    /// Put it at the top level of a script.
    package static let sampleValuesFunction = """
        def sample_values(rng, dt, n):
            if dt.kind == 'b':
                return rng.integers(0, 2, n).astype(dt)
            if dt.kind in 'iu':
                info = np.iinfo(dt)
                return rng.integers(info.min, info.max, n, dtype=dt.newbyteorder('='), endpoint=True).astype(dt)
            values = (rng.standard_normal(n) * 1000).astype(dt)
            if n > 3:
                values[:3] = [np.nan, np.inf, -np.inf]
            return values
        """

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
