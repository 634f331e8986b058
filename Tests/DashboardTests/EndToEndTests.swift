import Foundation
import Testing

/// The real binary in a real terminal: tmux runs blocktop, the test reads the screen with
/// capture-pane, sends keys and signals, resizes the window, and checks that the terminal
/// modes were the same after blocktop exited as before it started.
@Suite(.enabled(if: Tmux.available), .serialized)
struct EndToEndTests {
    /// A run long enough to interact with: 64 blocks, one worker.
    static let longRun = "run 'x = random((4000, 4000)); (x @ x.T).sum()' --chunks 500 --workers 1 --refresh 20"

    @Test func keysPauseResizeRerunAndQuit() throws {
        let tmux = try Tmux(arguments: Self.longRun, width: 100, height: 30)
        defer { tmux.kill() }
        try tmux.waitFor("RUNNING")
        let screen = tmux.capture()
        #expect(screen.contains("(x @ x.T).sum()"))
        #expect(screen.contains("array 4000×4000 · blocks 500×500 (64)"))
        #expect(screen.contains("blocks 8×8"))
        #expect(screen.contains("process cpu"))
        tmux.send(" ")
        try tmux.waitFor("PAUSED")
        tmux.send(" ")
        try tmux.waitFor("RUNNING")
        tmux.send("]")
        try tmux.waitFor("started again with blocks of 1000")
        try tmux.waitFor("blocks 4×4")
        tmux.send("z")  // unknown: nothing happens
        tmux.resize(width: 60, height: 20)
        try tmux.waitFor("terminal too small: need 80×24")
        tmux.resize(width: 100, height: 30)
        try tmux.waitFor("blocks 4×4")
        tmux.send("h")
        try tmux.waitFor("halve / double the block size")
        tmux.send("x")
        try tmux.waitFor("RUNNING")
        tmux.send("q")
        try tmux.waitFor("EXIT=3 restored")
        #expect(!tmux.capture().contains("process cpu"))
    }

    @Test func promptRunsANewExpressionOrShowsItsError() throws {
        let tmux = try Tmux(arguments: Self.longRun + " --keep-open", width: 120, height: 40)
        defer { tmux.kill() }
        try tmux.waitFor("RUNNING")
        // Paused, the run cannot end while the prompt is used: the checks below do not race it.
        tmux.send(" ")
        try tmux.waitFor("PAUSED")
        // Escape closes the prompt; q and space typed into it do nothing else.
        tmux.send(":xq")
        try tmux.waitFor(":xq")
        tmux.sendRaw("Escape")
        try tmux.waitFor("q quit  space pause")
        tmux.send(":nosuch(3) q")
        try tmux.waitFor(":nosuch(3) q")
        tmux.sendRaw("BSpace")
        tmux.sendRaw("BSpace")
        tmux.sendRaw("Enter")
        try tmux.waitFor("unknown function 'nosuch'")
        let afterError = tmux.capture()
        #expect(afterError.contains("PAUSED"))
        #expect(afterError.contains("random((4000, 4000))"))
        #expect(!afterError.contains("^^^"))
        tmux.send(":ones((10,10), chunks=5).sum()")
        tmux.sendRaw("Enter")
        try tmux.waitFor("blocktop  ones((10,10), chunks=5).sum()")
        try tmux.waitFor("DONE")
        try tmux.waitFor("recent runs")
        // The first run, cancelled, in the panel: block 500, one worker.
        #expect(tmux.capture().contains(#/│ 500 +1 +[0-9.]+s +(--|[0-9]+%) +cancelled/#))
        tmux.send("q")
        try tmux.waitFor("EXIT=0 restored")
        #expect(tmux.capture().contains("result       100.0"))
    }

    @Test func theRunEndingRestoresTheTerminal() throws {
        let tmux = try Tmux(arguments: "run 'x = random((1000, 1000)); (x @ x.T).sum()' --chunks 250 --workers 1",
                            width: 100, height: 30)
        defer { tmux.kill() }
        try tmux.waitFor("EXIT=0 restored")
        #expect(tmux.capture().contains("status       done"))
    }

    @Test(arguments: [("INT", 130), ("TERM", 143), ("HUP", 129)])
    func signalsRestoreTheTerminal(signal: String, status: Int) throws {
        let tmux = try Tmux(arguments: Self.longRun, width: 100, height: 30)
        defer { tmux.kill() }
        try tmux.waitFor("RUNNING")
        if signal == "INT" {
            tmux.sendRaw("C-c")
        } else {
            try tmux.signalBlocktop(signal)
        }
        try tmux.waitFor("EXIT=\(status) restored")
    }
}

/// A tmux session running blocktop under a small shell wrapper that reports its exit
/// status and whether `stty -g` was the same after it as before.
struct Tmux {
    static let available = FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")
        || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/tmux")

    /// The blocktop built next to this test bundle.
    static var binary: String {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("blocktop").path
    }

    let session = "blocktop-test-\(UUID().uuidString.prefix(8))"

    /// The usual environment: a UTF-8 locale and a 256-colour terminal.
    static let standardEnvironment = "LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color"

    /// Runs blocktop with `arguments` under `env environment` in a `width`×`height` window.
    init(arguments: String, width: Int, height: Int, environment: String = standardEnvironment) throws {
        let script = "trap : INT; before=$(stty -g); env \(environment) \(Self.binary) \(arguments); status=$?; "
            + "if [ \"$(stty -g)\" = \"$before\" ]; then r=restored; else r=changed; fi; echo \"EXIT=$status $r\"; sleep 60"
        try Self.run(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", "sh", "-c", script])
    }

    /// The screen's text; with `escapes`, also the SGR sequences of its colours and attributes.
    func capture(escapes: Bool = false) -> String {
        (try? Self.output(["capture-pane", "-p"] + (escapes ? ["-e"] : []) + ["-t", session])) ?? ""
    }

    /// Waits until the screen shows `text`; throws with the last screen after `seconds`.
    func waitFor(_ text: String, seconds: Double = 20) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if capture().contains(text) { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw Failure(message: "screen never showed \"\(text)\"; last screen:\n\(capture())")
    }

    /// Types `text` literally.
    func send(_ text: String) {
        try? Self.run(["send-keys", "-t", session, "-l", text])
    }

    /// Sends a tmux key name such as C-c.
    func sendRaw(_ key: String) {
        try? Self.run(["send-keys", "-t", session, key])
    }

    func resize(width: Int, height: Int) {
        try? Self.run(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
    }

    /// Sends SIG`name` to the blocktop process in the pane.
    func signalBlocktop(_ name: String) throws {
        let shell = try Self.output(["display-message", "-p", "-t", session, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let pid = try Self.command("/usr/bin/pgrep", ["-P", shell, "-x", "blocktop"]).trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try Self.command("/bin/kill", ["-\(name)", pid])
    }

    func kill() {
        try? Self.run(["kill-session", "-t", session])
    }

    struct Failure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// Runs tmux without reading its output (a server it starts would keep a pipe open).
    private static func run(_ arguments: [String]) throws {
        _ = try shell(([tmuxPath] + arguments).map(quote).joined(separator: " ") + " >/dev/null 2>&1")
    }

    private static var tmuxPath: String {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") ? "/usr/bin/tmux" : "/usr/local/bin/tmux"
    }

    private static func output(_ arguments: [String]) throws -> String {
        try command(tmuxPath, arguments)
    }

    private static func command(_ path: String, _ arguments: [String]) throws -> String {
        try shell(([path] + arguments).map(quote).joined(separator: " ") + " 2>/dev/null")
    }

    /// Runs `line` with /bin/sh and returns its standard output.
    private static func shell(_ line: String) throws -> String {
        guard let pipe = popen(line, "r") else { throw Failure(message: "cannot run \(line)") }
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

    private static func quote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

@Suite(.enabled(if: Tmux.available), .serialized)
struct SweepEndToEndTests {
    @Test func aSweepRunsEachSizeInTheDashboardAndPrintsTheTable() throws {
        let tmux = try Tmux(arguments: "sweep --chunks 100,200 --workers 2 'x = random((400, 400)); (x @ x.T).sum()'",
                            width: 120, height: 40)
        defer { tmux.kill() }
        try tmux.waitFor("block size sweep")
        // Both sizes in the panel, each with its time and GFLOP/s.
        var screen = tmux.capture()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, !(screen.contains(#/│ 100 +[0-9.]+s +[0-9.]+ /#) && screen.contains(#/│ 200 +[0-9.]+s +[0-9.]+ /#)) {
            Thread.sleep(forTimeInterval: 0.1)
            screen = tmux.capture()
        }
        #expect(screen.contains(" best "))
        #expect(screen.contains(#/│ 100 +[0-9.]+s +[0-9.]+ /#))
        #expect(screen.contains(#/│ 200 +[0-9.]+s +[0-9.]+ /#))
        #expect(!screen.contains("EXIT="))  // stays until q
        tmux.send("q")
        try tmux.waitFor("EXIT=0 restored")
        let after = tmux.capture()
        #expect(after.contains("best block size:"))
        #expect(after.contains(#/ +100 +[0-9.]+s/#))
    }
}
