import Foundation

/// Finding what `blocktop watch` runs: the program on PATH, the Python it is, a Python with dask.
package enum WatchedProgram {
    /// The path `name` runs: itself when it holds a `/`, else the first match on PATH.
    package static func executablePath(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first(where: FileManager.default.isExecutableFile)
    }

    /// The program's interpreter when it is a Python (`python`, `python3`, `python3.12` …).
    package static func python(of program: [String]) -> String? {
        guard let name = program.first, URL(fileURLWithPath: name).lastPathComponent.hasPrefix("python") else { return nil }
        return executablePath(name)
    }

    /// Whether `python` can import dask.
    package static func hasDask(_ python: String) -> Bool {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: python)
        check.arguments = ["-c", "import dask"]
        check.standardOutput = FileHandle.nullDevice
        check.standardError = FileHandle.nullDevice
        guard (try? check.run()) != nil else { return false }
        check.waitUntilExit()
        return check.terminationStatus == 0
    }
}
