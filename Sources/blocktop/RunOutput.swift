import Expressions
import Foundation
import Reporting

/// Where a finished run's results go: the report on stdout (text or JSON) and the trace file.
struct RunOutput {
    let json: Bool
    let tracePath: String?

    /// Prints the report and writes the trace (whole or not at all); returns the exit status of the run.
    func finish(_ recorder: RunRecorder, _ summary: RunSummary, program: Program, computation: Computation) -> Int32 {
        let main = program.mainArray
        let report = RunReport(expression: computation.text, summary: summary, arrayShape: main.shape, arrayChunks: main.chunks.sizes)
        print(json ? report.json.serialized() : report.text)
        if let tracePath {
            do {
                try writeAtomically(ChromeTrace.json(of: recorder, status: report.status), to: tracePath)
            } catch {
                warn("cannot write the trace to \(sanitized(tracePath)): \(error.localizedDescription)")
                return 1
            }
        }
        switch summary.result.status {
        case .done: return 0
        case .failed: return 1
        default: return 3
        }
    }
}

/// `text` with control characters shown as escapes, so user text cannot drive the terminal.
func sanitized(_ text: String) -> String {
    String(text.unicodeScalars.flatMap { scalar -> [Character] in
        scalar.value < 0x20 || (0x7f..<0xa0).contains(scalar.value)
            ? Array(String(format: "\\x%02x", scalar.value)) : [Character(scalar)]
    })
}
