import Foundation
import Glibc
import Synchronization

/// A pseudo-terminal whose follower side a child process gets as stdout or stderr, so that it
/// behaves as in a terminal (blocktop then keeps a progress line on stderr); the test reads
/// everything written to it.
package final class PseudoTerminal: Sendable {
    /// The follower side, to hand to a `Process`.
    package let follower: FileHandle
    private let leader: Int32
    private let received = Mutex(Data())
    private let closed = DispatchSemaphore(value: 0)

    package init() throws {
        // posix_openpt, unlockpt and ptsname as Linux implements them (Swift's Glibc leaves them out):
        // open /dev/ptmx, clear the follower's lock (TIOCSPTLCK), read its number (TIOCGPTN).
        let leader = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        var number: CInt = 0
        var unlock: CInt = 0
        guard leader >= 0, ioctl(leader, 0x4004_5431 /* TIOCSPTLCK */, &unlock) == 0,
              ioctl(leader, 0x8004_5430 /* TIOCGPTN */, &number) == 0 else {
            throw SupportFailure("cannot open a pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        let follower = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
        guard follower >= 0 else { throw SupportFailure("cannot open /dev/pts/\(number): \(String(cString: strerror(errno)))") }
        self.leader = leader
        self.follower = FileHandle(fileDescriptor: follower, closeOnDealloc: true)
        Thread { [self] in readUntilClosed() }.start()
    }

    /// Everything written to the terminal so far.
    package var text: String { String(decoding: received.withLock { $0 }, as: UTF8.self) }

    /// Closes this side's copy of the follower, once the child has its own.
    package func releaseFollower() throws { try follower.close() }

    /// Waits until every writer has closed the terminal (the leader reads EIO) and closes it.
    package func waitUntilClosed() {
        closed.wait()
        close(leader)
    }

    private func readUntilClosed() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(leader, &buffer, buffer.count)
            if count > 0 {
                received.withLock { $0.append(contentsOf: buffer[0..<count]) }
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break  // EIO: the last follower closed
            }
        }
        closed.signal()
    }
}
