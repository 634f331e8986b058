import Foundation

/// A tmux session running blocktop under a small shell wrapper that prints, once blocktop
/// ends, `EXIT=<status> restored` or `EXIT=<status> changed` (whether `stty -g` was the same
/// after it as before). Each session has a tmux server of its own (its own socket), so tests
/// running side by side never share one: a shared server exits when its last session is killed,
/// and takes a session being created at that moment with it.
package struct Tmux {
    /// Where tmux is, if installed.
    package static let path: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }
    package static var available: Bool { path != nil }

    /// The usual environment: a UTF-8 locale and a 256-colour terminal.
    package static let standardEnvironment = "LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color"

    package let session = "blocktop-test-\(UUID().uuidString.prefix(8))"
    /// The socket of this session's own server.
    private var socket: String { URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(session + ".tmux").path }
    /// Where blocktop keeps its `:` prompt history in this session (`XDG_STATE_HOME`) unless the
    /// environment names a place: a folder of its own, so that no test reads or writes the user's.
    private var stateHome: String { URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(session + "-state").path }

    /// Runs blocktop with `arguments` under `env environment` in a `width`×`height` window,
    /// through `launcher` when given (a command that runs the rest of its line, such as `taskset -c 0`);
    /// `XDG_STATE_HOME` is a folder of the session's own unless `environment` sets it.
    package init(arguments: String, width: Int, height: Int, environment: String = standardEnvironment, launcher: String = "") throws {
        let environment = environment.contains("XDG_STATE_HOME=") ? environment : environment + " XDG_STATE_HOME=\(stateHome)"
        let script = "trap : INT; before=$(stty -g); env \(environment) \(launcher) \(Blocktop.binary.path) \(arguments); status=$?; "
            + "if [ \"$(stty -g)\" = \"$before\" ]; then r=restored; else r=changed; fi; echo \"EXIT=$status $r\"; sleep 60"
        try tmux(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", "sh", "-c", script])
    }

    /// The screen's text; with `escapes`, also the SGR sequences of its colours and attributes.
    package func capture(escapes: Bool = false) -> String {
        (try? tmuxOutput(["capture-pane", "-p"] + (escapes ? ["-e"] : []) + ["-t", session])) ?? ""
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
        var screen: String?
        try waitUntil(within: .milliseconds(Int64(seconds * 1000)), every: .milliseconds(50), what,
                      lastSeen: { screen ?? "(nothing: tmux could not capture the pane)" }) {
            screen = try? tmuxOutput(["capture-pane", "-p"] + (escapes ? ["-e"] : []) + ["-t", session])
            return screen.map(condition) ?? false
        }
        return screen ?? ""
    }

    /// Types `text` literally.
    package func send(_ text: String) {
        try? tmux(["send-keys", "-t", session, "-l", text])
    }

    /// Sends a tmux key name such as C-c.
    package func sendKey(_ key: String) {
        try? tmux(["send-keys", "-t", session, key])
    }

    /// Clicks the left button on a screen cell (0-based) as a terminal in xterm's SGR mouse mode
    /// (1006, which ncurses asks for with TERM=xterm-256color) reports it: a press then a release,
    /// written to the pane as raw bytes.
    package func click(column: Int, row: Int) {
        let bytes = "\u{1B}[<0;\(column + 1);\(row + 1)M\u{1B}[<0;\(column + 1);\(row + 1)m".utf8
        try? tmux(["send-keys", "-t", session, "-H"] + bytes.map { String($0, radix: 16) })
    }

    /// A tmux format expanded for the pane, such as `#{mouse_standard_flag}` (1 while the program
    /// in it takes mouse reports).
    package func format(_ format: String) -> String {
        ((try? tmuxOutput(["display-message", "-p", "-t", session, format])) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    package func resize(width: Int, height: Int) {
        try? tmux(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
    }

    /// Sends SIG`name` to the blocktop process in the pane.
    package func signalBlocktop(_ name: String) throws {
        let shell = try tmuxOutput(["display-message", "-p", "-t", session, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let pid = try Shell.run(Shell.line("/usr/bin/pgrep", ["-P", shell, "-x", "blocktop"]) + " 2>/dev/null")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard !pid.isEmpty else { throw SupportFailure("no blocktop process under the pane's shell \(shell)") }
        try Shell.run(Shell.line("/bin/kill", ["-\(name)", pid]))
    }

    /// Ends the session and its server.
    package func kill() {
        try? tmux(["kill-server"])
        try? FileManager.default.removeItem(atPath: socket)
        try? FileManager.default.removeItem(atPath: stateHome)
    }

    /// Runs tmux on this session's server without reading its output (a server it starts
    /// would keep a pipe open).
    private func tmux(_ arguments: [String]) throws {
        guard let path = Self.path else { throw SupportFailure("tmux is not installed (`make deps` installs it)") }
        try Shell.run(Shell.line(path, ["-S", socket] + arguments) + " >/dev/null 2>&1")
    }

    private func tmuxOutput(_ arguments: [String]) throws -> String {
        guard let path = Self.path else { throw SupportFailure("tmux is not installed (`make deps` installs it)") }
        return try Shell.run(Shell.line(path, ["-S", socket] + arguments) + " 2>/dev/null")
    }
}
