import ArgumentParser
import BlocktopSupport
import Dashboard
import Foundation
import Themes

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

/// Throws unless `path` can be written as `OutputFile` writes it (stdout, a FIFO or device, a
/// symlink to one, or a file in a writable folder), so that a run is not spent before its
/// output is found unwritable.
func checkWritable(_ path: String, option: String) throws {
    guard !path.isEmpty else { throw ValidationError("\(option) needs a file name") }
    do {
        try OutputFile.checkWritable(path)
    } catch {
        throw ValidationError("\(option): \(error.whyUnwritable(path))")
    }
}

/// Throws a validation error when the theme `name` cannot be loaded.
func checkTheme(_ name: String, themesDirectory: String?) throws {
    do {
        _ = try ThemeCatalog.loadAsked(name, themesDirectory: themesDirectory)
    } catch {
        throw ValidationError("--theme: \(error)")
    }
}
