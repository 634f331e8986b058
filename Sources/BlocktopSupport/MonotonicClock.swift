import Glibc

/// Monotonic time in nanoseconds (`CLOCK_MONOTONIC`): the clock of every task event,
/// sample and figure of elapsed time in blocktop.
package func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}
