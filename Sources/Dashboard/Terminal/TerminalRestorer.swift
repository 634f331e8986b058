import CCurses
import Glibc
import Synchronization

/// Restores the terminal when blocktop ends abnormally, and turns SIGINT, SIGTERM and
/// SIGHUP into a flag the dashboard's loop reads at its next tick.
///
/// On a crash (SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT) the handler writes the
/// terminal's reset sequence and the saved terminal modes with async-signal-safe calls
/// only (write, tcsetattr), then raises the signal again for its default action.
final class TerminalRestorer: @unchecked Sendable {
    // Safe to share: `termios` and the reset bytes are written once, on the dashboard's thread,
    // before any handler is installed, and only read afterwards (by the handlers).
    static let shared = TerminalRestorer()

    /// The termination signal received (0 for none).
    let pendingSignal = Atomic<Int32>(0)
    private let termios = UnsafeMutablePointer<Glibc.termios>.allocate(capacity: 1)
    private var haveTermios = false
    private let reset = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    private var resetLength = 0

    static let terminationSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    static let fatalSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT]

    private init() {}

    /// Saves the terminal's modes; call before ncurses changes them.
    func saveModes() {
        haveTermios = tcgetattr(STDIN_FILENO, termios) == 0
    }

    /// Keeps the bytes that leave the alternate screen, show the cursor and reset colours, and
    /// with `mouse` turn off the mouse reports ncurses turned on (xterm's modes 1000 and 1006),
    /// so that a crash does not leave the shell reading clicks as text.
    func captureResetSequence(mouse: Bool) {
        var bytes: [UInt8] = mouse ? Array("\u{1B}[?1006l\u{1B}[?1000l".utf8) : []
        for capability in ["sgr0", "cnorm", "rmcup"] {
            guard let value = tigetstr(capability), Int(bitPattern: value) != -1 else { continue }
            bytes += Array(String(cString: value).utf8)
        }
        bytes += Array("\r\n".utf8)
        resetLength = min(bytes.count, 256)
        for (index, byte) in bytes.prefix(resetLength).enumerated() { reset[index] = byte }
    }

    /// Installs the handlers (after `saveModes`, before ncurses takes the terminal).
    func install() {
        _ = pendingSignal.load(ordering: .relaxed)
        for signal in Self.terminationSignals { Self.handle(signal, flags: 0, with: terminationHandler) }
        for signal in Self.fatalSignals { Self.handle(signal, flags: Int32(truncatingIfNeeded: SA_RESETHAND), with: fatalHandler) }
    }

    /// Puts back the default actions.
    func uninstall() {
        for signal in Self.terminationSignals + Self.fatalSignals { Glibc.signal(signal, SIG_DFL) }
    }

    /// The crash path: reset sequence, then the saved modes.
    fileprivate func restoreFromHandler() {
        _ = write(STDOUT_FILENO, reset, resetLength)
        if haveTermios { _ = tcsetattr(STDIN_FILENO, TCSANOW, termios) }
    }

    private static func handle(_ signal: Int32, flags: Int32, with handler: @convention(c) (Int32) -> Void) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        action.sa_flags = flags
        sigemptyset(&action.sa_mask)
        sigaction(signal, &action, nil)
    }
}

private func terminationHandler(_ signal: Int32) {
    TerminalRestorer.shared.pendingSignal.store(signal, ordering: .relaxed)
}

private func fatalHandler(_ signal: Int32) {
    TerminalRestorer.shared.restoreFromHandler()
    // SA_RESETHAND restored the default action: the signal again ends the process, whether it
    // came from a fault or from another process (which nothing would send a second time).
    raise(signal)
}
