import BlockArray
import BlocktopSupport
import Engine
import Glibc
import Runs

/// Checks that `workers` of blocktop's own threads have room to compute `array`: says on stderr
/// when they are more than the CPUs this process may use (they then take turns on the cores, and
/// efficiency falls for that reason, not the scheduler's), and fails when BLAS cannot work.
package func checkLocalRoom(for array: BlockArray, workers: Int) throws(RunProblem) {
    let usable = Engine.defaultWorkerCount
    if workers > usable {
        warn("\(workers) workers on \(usable) usable CPU\(usable == 1 ? "" : "s"): oversubscribed, so workers take turns on the cores")
    }
    try checkRoomForBLAS(array, workers: workers)
}

/// Fails, as bad input, a run whose matrix products cannot get OpenBLAS's work buffer under the
/// process's address-space limit (`ulimit -v`, `prlimit --as`): OpenBLAS would retry for ever
/// instead of failing. Nothing is checked without a limit, the common case.
private func checkRoomForBLAS(_ array: BlockArray, workers: Int) throws(RunProblem) {
    var limit = rlimit()
    guard getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return }
    let used = array.graph().summary.operations.filter(BLAS.operations.contains)
    guard let operation = used.first else { return }
    // A malloc arena for each worker thread comes with it (64 MiB reserved); ask for that too.
    let needed = workers * (BLAS.bufferBytes + (64 << 20))
    guard !addressSpaceIsFree(needed) else { return }
    throw RunProblem(
        "\(operation) needs OpenBLAS's \(ByteCount.text(BLAS.bufferBytes)) work buffer in each worker "
        + "(\(ByteCount.text(needed)) for \(workers) worker\(workers == 1 ? "" : "s") with their memory arenas), but the "
        + "address-space limit (ulimit -v: \(ByteCount.text(Int(clamping: limit.rlim_cur)))) leaves no room for it; "
        + "raise the limit or use fewer --workers", badInput: true)
}

/// Whether `bytes` more of address space can be mapped now: maps them without access or
/// backing, and unmaps them at once.
private func addressSpaceIsFree(_ bytes: Int) -> Bool {
    guard let region = mmap(nil, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
          region != MAP_FAILED else { return false }
    munmap(region, bytes)
    return true
}
