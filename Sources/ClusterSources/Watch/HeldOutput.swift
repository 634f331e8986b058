import Foundation
import Runs

/// A watched program's stdout and stderr while the dashboard owns the terminal: two unlinked
/// temporary files (nothing is left behind), printed to blocktop's stdout and stderr once the
/// terminal is restored.
package final class HeldOutput {
    package let stdout: FileHandle
    package let stderr: FileHandle

    /// Both files, or a failure saying why they cannot be made.
    package init() throws(RunProblem) {
        stdout = try Self.unlinkedFile()
        stderr = try Self.unlinkedFile()
    }

    /// Copies what the program wrote to blocktop's own stdout and stderr.
    package func replay() {
        for (held, target) in [(stdout, FileHandle.standardOutput), (stderr, FileHandle.standardError)] {
            try? held.seek(toOffset: 0)
            while let chunk = try? held.read(upToCount: 1 << 16), !chunk.isEmpty { try? target.write(contentsOf: chunk) }
        }
    }

    /// A new file in the temporary folder, already unlinked.
    private static func unlinkedFile() throws(RunProblem) -> FileHandle {
        var template = Array((NSTemporaryDirectory() + "/blocktop-watch-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw RunProblem("cannot make a temporary file to hold the program's output: \(String(cString: strerror(errno)))", badInput: false) }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }
}
