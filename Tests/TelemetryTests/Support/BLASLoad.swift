import CBLAS
import Foundation
import Synchronization
import Telemetry
import TestSupport

/// A known CPU load: threads that each multiply 500×500 matrices with one-threaded OpenBLAS until stopped.
final class BLASLoad: Sendable {
    private let stopping = Atomic<Bool>(false)
    /// Each started thread's kernel id and how many multiplications it has finished.
    private let loadThreads = Mutex<[(id: Int32, multiplications: Int)]>([])
    private let finished = DispatchSemaphore(value: 0)
    private let threadCount: Int

    /// Starts `threads` threads, each keeping one core busy in dgemm.
    init(threads: Int) {
        threadCount = threads
        openblas_set_num_threads(1)
        for _ in 0..<threads {
            Thread { [self] in multiplyUntilStopped() }.start()
        }
    }

    /// The kernel thread ids of the load threads, once each has finished a multiplication
    /// (so each is in its loop); throws if that takes more than `timeout`.
    func busyThreadIDs(within timeout: Duration = .seconds(30)) async throws -> [Int32] {
        try await waitUntil(within: timeout, "\(threadCount) load threads to finish a multiplication each") {
            loadThreads.withLock { $0.count == threadCount && $0.allSatisfy { $0.multiplications > 0 } }
        }
        return loadThreads.withLock { $0.map(\.id) }
    }

    /// Stops the threads and waits for them to finish.
    func stop() {
        stopping.store(true, ordering: .relaxed)
        for _ in 0..<threadCount { finished.wait() }
    }

    private func multiplyUntilStopped() {
        let id = (try? ThreadID.current()) ?? -1
        let slot = loadThreads.withLock { started in
            started.append((id, 0))
            return started.count - 1
        }
        let n: Int32 = 500
        let count = Int(n * n)
        let a = (0..<count).map { Double($0 % 13) / 13 }
        let b = (0..<count).map { Double($0 % 7) / 7 }
        var c = [Double](repeating: 0, count: count)
        while !stopping.load(ordering: .relaxed) {
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1, a, n, b, n, 0, &c, n)
            loadThreads.withLock { $0[slot].multiplications += 1 }
        }
        finished.signal()
    }
}
