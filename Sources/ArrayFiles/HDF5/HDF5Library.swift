import CHDF5
import Synchronization

/// Why an HDF5 call failed, in words: blocktop's own, or the innermost entry of HDF5's error stack.
struct HDF5Error: Error {
    let message: String

    init(_ message: String) { self.message = message }
}

/// The one way blocktop calls the HDF5 library: every sequence of calls goes through `serialized`.
///
/// HDF5 is thread-safe only when built so (`--enable-threadsafe`, which Debian's serial build is);
/// even then it holds one global lock around every call. Where it is not, `serialized` takes one
/// lock of blocktop's own around each sequence of calls, so that no two threads are ever inside the
/// library, and a failure's error stack is read before another thread's calls can touch it. Either
/// way HDF5's own work (reading, decompressing, converting) runs on one thread at a time.
enum HDF5 {
    /// Whether the library serialises its own calls (`H5is_library_threadsafe`).
    static let isThreadSafe: Bool = {
        var threadSafe = false
        return H5is_library_threadsafe(&threadSafe) >= 0 && threadSafe
    }()

    /// Held around every sequence of calls when the library is not thread-safe.
    private static let lock = Mutex(())

    /// Runs `body`, a sequence of HDF5 calls, alone when the library is not thread-safe, with
    /// HDF5's printing of its error stack to stderr turned off (a setting HDF5 keeps per thread).
    static func serialized<T: Sendable>(_ body: () throws(HDF5Error) -> T) throws(HDF5Error) -> T {
        if isThreadSafe { return try quietly(body) }
        return try lock.withLock { (_) throws(HDF5Error) -> T in try quietly(body) }
    }

    private static func quietly<T>(_ body: () throws(HDF5Error) -> T) throws(HDF5Error) -> T {
        H5Eset_auto2(bt_h5_e_default(), nil, nil)
        return try body()
    }

    /// `result` (an id, a count or a status) when it is not negative; else throws `action` with
    /// the reason HDF5's error stack gives. Call inside `serialized`.
    @discardableResult
    static func check<R: BinaryInteger>(_ result: R, _ action: String) throws(HDF5Error) -> R {
        guard result >= 0 else { throw HDF5Error("\(action): \(takeErrorReason())") }
        return result
    }

    /// The description of the innermost entry of the calling thread's error stack (where HDF5
    /// found the problem: "file signature not found", "inflate() failed"), and the stack cleared.
    static func takeErrorReason() -> String {
        var reason: String?
        withUnsafeMutablePointer(to: &reason) { pointer in
            _ = H5Ewalk2(bt_h5_e_default(), H5E_WALK_UPWARD, { _, entry, data in
                let reason = data!.assumingMemoryBound(to: String?.self)
                if reason.pointee == nil, let description = entry?.pointee.desc, description.pointee != 0 {
                    reason.pointee = String(cString: description)
                }
                return 0
            }, pointer)
        }
        H5Eclear2(bt_h5_e_default())
        return reason ?? "the HDF5 library gave no reason"
    }
}
