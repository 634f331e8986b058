import ArgumentParser
import Dashboard
import Foundation

/// The most worker threads a run may ask for; far more would exhaust the process's threads.
let maximumWorkers = 1_024

/// Throws unless `count` is a usable number of workers.
func checkWorkers(_ count: Int, option: String = "--workers") throws {
    guard (1...maximumWorkers).contains(count) else {
        throw ValidationError("\(option) must be between 1 and \(maximumWorkers), got \(count)")
    }
}

/// Throws unless `size` is a usable block size.
func checkBlockSize(_ size: Int) throws {
    guard size >= 1 else { throw ValidationError("--chunks must be ≥ 1, got \(size)") }
}

/// Throws unless a file can be created at `path` (its folder exists and is writable, and it is
/// not a folder), so that a run is not spent before its trace is found unwritable.
func checkWritable(_ path: String, option: String) throws {
    guard !path.isEmpty else { throw ValidationError("\(option) needs a file name") }
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
        throw ValidationError("\(option): '\(path)' is a folder")
    }
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
        throw ValidationError("\(option): cannot write '\(path)': folder '\(folder)' does not exist")
    }
    guard access(folder, W_OK) == 0 else {
        throw ValidationError("\(option): cannot write '\(path)': folder '\(folder)' is not writable")
    }
}

/// Loads the theme `name` (a name in the theme folders or a .theme file); a missing or broken
/// theme is an error, since the user asked for it.
func loadTheme(_ name: String, themesDirectory: String?) throws(ThemeError) -> (catalog: ThemeCatalog, theme: Theme) {
    let catalog = ThemeCatalog.standard(themesDirectory: themesDirectory)
    let (theme, warning) = try catalog.load(name)
    if let warning { throw warning }
    return (catalog, theme)
}

/// Throws a validation error when the theme `name` cannot be loaded.
func checkTheme(_ name: String, themesDirectory: String?) throws {
    do {
        _ = try loadTheme(name, themesDirectory: themesDirectory)
    } catch {
        throw ValidationError("--theme: \(error)")
    }
}
