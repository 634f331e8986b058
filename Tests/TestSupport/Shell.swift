import Foundation

/// A helper could not do what a test asked of it (a tool missing, a command failing).
package struct SupportFailure: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}

/// Running commands through /bin/sh.
package enum Shell {
    /// The full path of `name` on PATH, or nil.
    package static func which(_ name: String) -> String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `line` with /bin/sh and returns its standard output.
    ///
    /// popen rather than `Process`: a command that leaves a daemon behind (a tmux server) keeps no
    /// pipe of ours open once `line` redirects its output.
    @discardableResult
    package static func run(_ line: String) throws -> String {
        guard let pipe = popen(line, "r") else { throw SupportFailure("cannot run \(line)") }
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, pipe)
            if count == 0 { break }
            data += buffer[0..<count]
        }
        pclose(pipe)
        return String(decoding: data, as: UTF8.self)
    }

    /// `command` and its `arguments` as one /bin/sh line, each word quoted.
    package static func line(_ command: String, _ arguments: [String]) -> String {
        ([command] + arguments).map(quote).joined(separator: " ")
    }

    /// `word` in single quotes, for /bin/sh.
    package static func quote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
