import Glibc

/// The most memory this process has held resident so far, in bytes (getrusage's
/// `ru_maxrss`, which Linux gives in KiB).
public func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
}
