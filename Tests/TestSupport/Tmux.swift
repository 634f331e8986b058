import Foundation

/// A tmux session running blocktop under a small shell wrapper that prints, once blocktop
/// ends, `EXIT=<status> restored` or `EXIT=<status> changed` (whether `stty -g` was the same
/// after it as before).
package struct Tmux {
    /// Where tmux is, if installed.
    package static let path: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }
    package static var available: Bool { path != nil }

    /// The usual environment: a UTF-8 locale and a 256-colour terminal.
    package static let standardEnvironment = "LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color"

    package let session = "blocktop-test-\(UUID().uuidString.prefix(8))"

    /// Runs blocktop with `arguments` under `env environment` in a `width`×`height` window.
    package init(arguments: String, width: Int, height: Int, environment: String = standardEnvironment) throws {
        let script = "trap : INT; before=$(stty -g); env \(environment) \(Blocktop.binary.path) \(arguments); status=$?; "
            + "if [ \"$(stty -g)\" = \"$before\" ]; then r=restored; else r=changed; fi; echo \"EXIT=$status $r\"; sleep 60"
        try Self.tmux(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", "sh", "-c", script])
    }

    /// The screen's text; with `escapes`, also the SGR sequences of its colours and attributes.
    package func capture(escapes: Bool = false) -> String {
        (try? Self.tmuxOutput(["capture-pane", "-p"] + (escapes ? ["-e"] : []) + ["-t", session])) ?? ""
    }

    /// Waits until the screen shows `text`; throws with the last screen after `seconds`.
    package func waitFor(_ text: String, seconds: Double = 30) throws {
        _ = try waitForScreen("the screen to show \"\(text)\"", seconds: seconds) { $0.contains(text) }
    }

    /// Waits until the screen satisfies `condition` and returns that screen; throws, naming
    /// `what` and showing the last screen, after `seconds`.
    @discardableResult
    package func waitForScreen(_ what: String, seconds: Double = 30, escapes: Bool = false,
                               _ condition: (String) -> Bool) throws -> String {
        var screen = ""
        try waitUntil(within: .milliseconds(Int64(seconds * 1000)), every: .milliseconds(50), what, lastSeen: { screen }) {
            screen = capture(escapes: escapes)
            return condition(screen)
        }
        return screen
    }

    /// Types `text` literally.
    package func send(_ text: String) {
        try? Self.tmux(["send-keys", "-t", session, "-l", text])
    }

    /// Sends a tmux key name such as C-c.
    package func sendKey(_ key: String) {
        try? Self.tmux(["send-keys", "-t", session, key])
    }

    package func resize(width: Int, height: Int) {
        try? Self.tmux(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
    }

    /// Sends SIG`name` to the blocktop process in the pane.
    package func signalBlocktop(_ name: String) throws {
        let shell = try Self.tmuxOutput(["display-message", "-p", "-t", session, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let pid = try Shell.run(Shell.line("/usr/bin/pgrep", ["-P", shell, "-x", "blocktop"]) + " 2>/dev/null")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard !pid.isEmpty else { throw SupportFailure("no blocktop process under the pane's shell \(shell)") }
        try Shell.run(Shell.line("/bin/kill", ["-\(name)", pid]))
    }

    package func kill() {
        try? Self.tmux(["kill-session", "-t", session])
    }

    /// Runs tmux without reading its output (a server it starts would keep a pipe open).
    private static func tmux(_ arguments: [String]) throws {
        guard let path else { throw SupportFailure("tmux is not installed (`make deps` installs it)") }
        try Shell.run(Shell.line(path, arguments) + " >/dev/null 2>&1")
    }

    private static func tmuxOutput(_ arguments: [String]) throws -> String {
        guard let path else { throw SupportFailure("tmux is not installed (`make deps` installs it)") }
        return try Shell.run(Shell.line(path, arguments) + " 2>/dev/null")
    }
}
