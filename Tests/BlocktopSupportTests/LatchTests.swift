import BlocktopSupport
import Foundation
import Testing

/// A latch wakes its waiters when opened from another thread, and stays open.
@Suite struct LatchTests {
    @Test func aWaitEndsWhenAnotherThreadOpensTheLatch() {
        let latch = Latch(), started = Latch()
        Thread {
            started.wait(seconds: 60)
            latch.open()
        }.start()
        #expect(!latch.isOpen)
        started.open()
        #expect(latch.wait(seconds: 60))
        #expect(latch.isOpen)
    }

    @Test func aWaitOnAClosedLatchSaysSoAtItsDeadline() {
        let latch = Latch()
        #expect(!latch.wait(seconds: 0))
        #expect(!latch.wait(seconds: 0.01))
    }

    @Test func anOpenLatchStaysOpen() {
        let latch = Latch()
        latch.open()
        latch.open()
        #expect(latch.wait(seconds: 0))
        #expect(latch.isOpen)
    }
}
