import Foundation

/// A new folder only this user can enter (mode 0700), under the temporary folder (`$TMPDIR`,
/// else /tmp) with an unpredictable name (`mkdtemp`), so another user can neither guess it
/// nor put a link in its place.
package enum PrivateFolder {
    /// Makes the folder `NAME-XXXXXX` and returns its path; throws the reason it cannot.
    package static func make(named name: String) throws(OutputFileError) -> String {
        var template = Array((NSTemporaryDirectory() + "/\(name)-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw OutputFileError(path: NSTemporaryDirectory(), step: .create, code: errno)
        }
        return String(cString: made)
    }
}
