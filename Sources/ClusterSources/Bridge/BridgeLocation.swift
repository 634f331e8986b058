import Foundation

/// Where the bridge's pieces are: the Python that runs it and the folder that holds its package.
public struct BridgeLocation: Sendable, Equatable {
    /// The Python interpreter.
    public var python: String
    /// The folder to put on `PYTHONPATH` (it holds `blocktop_bridge/`); nil when the package is
    /// to be found by that Python itself (installed with pip).
    public var packageFolder: String?

    /// What to install when the bridge finds no Dask distributed.
    public static let installLine = "python3 -m pip install 'dask[distributed]==2026.8.0'"

    /// `python` when given, else `python3` on PATH; the package folder found from the blocktop
    /// executable (see `packageFolder(forExecutable:)`). Throws when there is no Python.
    public static func find(python: String?, executable: String) throws(BridgeError) -> BridgeLocation {
        let interpreter: String
        if let python {
            guard FileManager.default.isExecutableFile(atPath: python) else { throw .noPython(python) }
            interpreter = python
        } else {
            let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
            guard let found = path.split(separator: ":").map({ "\($0)/python3" }).first(where: FileManager.default.isExecutableFile)
            else { throw .noPython(nil) }
            interpreter = found
        }
        return BridgeLocation(python: interpreter, packageFolder: packageFolder(forExecutable: executable))
    }

    /// The `python/` folder of the source tree the executable was built in (it sits in
    /// `<repo>/.build/…/blocktop`), or `<prefix>/share/blocktop/python` for an executable
    /// installed in `<prefix>/bin`; nil when neither holds the package.
    public static func packageFolder(forExecutable executable: String) -> String? {
        let real = URL(fileURLWithPath: executable).resolvingSymlinksInPath()
        var folder = real.deletingLastPathComponent()
        var candidates = [folder.deletingLastPathComponent().appendingPathComponent("share/blocktop/python")]
        while folder.path != "/" {
            candidates.append(folder.appendingPathComponent("python"))
            folder = folder.deletingLastPathComponent()
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("blocktop_bridge/__main__.py").path) }?.path
    }
}

/// Why the bridge cannot run, in words that say what to do.
public enum BridgeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No Python at the path given (or none on PATH).
    case noPython(String?)
    /// The Python has no Dask distributed.
    case noDistributed(python: String)
    /// The Python finds no `blocktop_bridge` package.
    case noPackage(python: String)
    /// The bridge could not be started, or ended before greeting.
    case failed(String)

    public var description: String {
        switch self {
        case .noPython(let path?): "no Python at '\(UntrustedText.clean(path, limit: UntrustedText.longLimit))' (--python)"
        case .noPython(nil): "no python3 on PATH: install Python 3 or name one with --python PATH"
        case .noDistributed(let python): "\(python) has no Dask distributed: \(BridgeLocation.installLine)"
        case .noPackage(let python):
            "\(python) finds no blocktop_bridge: run a blocktop built in its source tree (it finds python/ there), "
                + "or install python/ as <prefix>/share/blocktop/python beside <prefix>/bin/blocktop"
        case .failed(let why): "the bridge failed: \(why)"
        }
    }

    /// The error a bridge that ended saying `text` (its error line or stderr's last line) means.
    static func ended(saying text: String, python: String) -> BridgeError {
        if text.contains("No module named blocktop_bridge") { return .noPackage(python: python) }
        // The bridge needs nothing but Dask distributed and what it brings (cloudpickle, tornado …).
        return text.contains("No module named") ? .noDistributed(python: python) : .failed(text)
    }
}
