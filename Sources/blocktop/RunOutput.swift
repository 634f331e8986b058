import Dashboard
import Expressions
import Foundation
import Reporting

/// Where a finished run's results go: the report on stdout (text or JSON) and the trace file.
struct RunOutput {
    let json: Bool
    let tracePath: String?

    /// Prints the report and writes the trace (each whole or not at all); returns the exit
    /// status of the run, or 74 / 1 when the report / the trace could not be written.
    func finish(_ recorder: RunRecorder, _ summary: RunSummary, program: Program, computation: Computation) -> Int32 {
        let main = program.mainArray
        let report = RunReport(expression: computation.text, summary: summary, arrayShape: main.shape, arrayChunks: main.chunks.sizes)
        let reported = emit(json ? report.json.serialized() : report.text)
        if let tracePath {
            do {
                try writeAtomically(ChromeTrace.json(of: recorder, status: report.status), to: tracePath)
            } catch {
                warn("error: cannot write the trace to \(sanitized(tracePath)): \(error.localizedDescription)")
                return 1
            }
        }
        guard reported else { return reportUnwritten }
        switch summary.result.status {
        case .done: return 0
        case .failed: return 1
        default: return 3
        }
    }
}

/// Exit status when the report could not be written to stdout (EX_IOERR).
let reportUnwritten: Int32 = 74

/// Writes `text` and a newline to stdout in one piece; on failure (a full disk, a closed
/// pipe) says so on stderr and returns false.
func emit(_ text: String) -> Bool {
    do {
        try FileHandle.standardOutput.write(contentsOf: Data((text + "\n").utf8))
        return true
    } catch {
        warn("error: cannot write the report to stdout: \(String(cString: strerror(errno)))")
        return false
    }
}

/// `text` with control characters shown as escapes, so user text cannot drive the terminal.
func sanitized(_ text: String) -> String {
    String(text.unicodeScalars.flatMap { scalar -> [Character] in
        scalar.isTerminalControl
            ? Array(String(format: "\\x%02x", scalar.value)) : [Character(scalar)]
    })
}
