import CBLAS
import Foundation
import Synchronization
import Telemetry

/// A known CPU load: threads that each multiply 500×500 matrices with one-threaded OpenBLAS until stopped.
final class BLASLoad: Sendable {
    private let stopping = Atomic<Bool>(false)
    private let startedThreads = Mutex<[Int32]>([])
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

    /// The kernel thread ids of the load threads, once all of them have started.
    func threadIDs() async throws -> [Int32] {
        while true {
            let ids = startedThreads.withLock { $0 }
            if ids.count == threadCount { return ids }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Stops the threads and waits for them to finish.
    func stop() {
        stopping.store(true, ordering: .relaxed)
        for _ in 0..<threadCount { finished.wait() }
    }

    private func multiplyUntilStopped() {
        let id = (try? ThreadID.current()) ?? -1
        startedThreads.withLock { $0.append(id) }
        let n: Int32 = 500
        let count = Int(n * n)
        let a = (0..<count).map { Double($0 % 13) / 13 }
        let b = (0..<count).map { Double($0 % 7) / 7 }
        var c = [Double](repeating: 0, count: count)
        while !stopping.load(ordering: .relaxed) {
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1, a, n, b, n, 0, &c, n)
        }
        finished.signal()
    }
}
