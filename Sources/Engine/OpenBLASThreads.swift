import Foundation

/// OpenBLAS starts a thread per CPU when the library loads, before `main`, unless
/// `OPENBLAS_NUM_THREADS` says 1. blocktop never uses them (every kernel runs on one thread of
/// its own pool), and under an address-space limit such a thread retries its 128 MiB buffer for
/// ever and keeps the process from exiting. So blocktop starts itself again with the variable
/// set, and puts the user's value back for the programs it starts.
package enum OpenBLASThreads {
    private static let variable = "OPENBLAS_NUM_THREADS"
    /// The user's value of `variable` across the exec; empty when it was not set.
    private static let saved = "BLOCKTOP_SAVED_OPENBLAS_NUM_THREADS"

    /// Call first in `main`: execs this program again with the variable set when it is not
    /// (returning only when that fails, which leaves OpenBLAS's idle threads, harmless without a
    /// limit); after the exec, restores the user's value.
    package static func keepOpenBLASToOneThread() {
        if let previous = ProcessInfo.processInfo.environment[saved] {
            unsetenv(saved)
            if previous.isEmpty { unsetenv(variable) } else { setenv(variable, previous, 1) }
            return
        }
        let original = ProcessInfo.processInfo.environment[variable]
        guard original != "1" else { return }
        // The executable's own path, not /proc/self/exe: the kernel names the process after the
        // file it execs, and `top`, `pgrep` and the shell should see `blocktop`, not `exe`.
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return }
        setenv(saved, original ?? "", 1)
        setenv(variable, "1", 1)
        execv(executable, CommandLine.unsafeArgv)
        unsetenv(saved)
        if let original { setenv(variable, original, 1) } else { unsetenv(variable) }
    }
}
