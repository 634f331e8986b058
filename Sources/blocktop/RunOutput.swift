import BlockArray
import BlocktopSupport
import Expressions
import Foundation
import Reporting

/// Where finished runs' results go: the report or the table on stdout (text or JSON), and the trace file.
struct RunOutput {
    let options: ReportOptions

    /// Puts the run's `--output` file in place (or removes it, when the run did not finish),
    /// prints the report of the run and writes its trace (each whole or not at all); returns the
    /// run's exit status, 64 when a task found an array file bad (said on stderr), or 74 / 1 when
    /// the output or the report / the trace could not be written.
    func finish(_ summary: RunSummary, recorder: RunRecorder, program: Program, computation: Computation,
                output: ArrayOutput? = nil) -> ExitStatus {
        let outputStatus = output?.finish(summary.outcome)
        var report = RunReport(expression: computation.text, summary: summary, largestInput: program.mainArray.chunks)
        report.inputs = program.inputNotes
        report.output = output?.note
        let reported = emit(options.json ? report.json.serialized() : report.text)
        guard writeTrace([ChromeTrace.Run(name: "blocktop (\(report.status))", recorder: recorder)]) else { return .failure }
        guard reported else { return .reportUnwritten }
        return fileFailure(summary) ?? outputStatus ?? ExitStatus(summary.outcome)
    }

    /// Prints the table of a series (one row per ended run, `planned` runs in all) and writes its
    /// trace; returns 0 when every planned run finished and they agree, 1 when one failed or they
    /// differ, 3 when some were cancelled or not made, 74 / 1 when the table / the trace could not be written.
    func finish(series rows: [TuningRow], kind: TuningKind, planned: Int) -> ExitStatus {
        let table = options.json ? TuningReport.json(rows, kind: kind).serialized()
            : kind == .blockSizes ? TuningReport.sweepTable(rows) : TuningReport.scaleTable(rows)
        let reported = emit(table)
        let runs = rows.compactMap { row in
            row.local.map { local in
                let round = row.round == 0 ? "warm-up" : "round \(row.round)"
                return ChromeTrace.Run(name: "blocktop \(kind.describe(row.setting)), \(round) (\(row.outcome.rawValue))",
                                       recorder: local.recorder)
            }
        }
        guard writeTrace(runs) else { return .failure }
        guard reported else { return .reportUnwritten }
        let outcomes = rows.map(\.outcome)
        if !TuningReport.resultsAgree(rows) || outcomes.contains(.failed) { return .failure }
        return rows.count < planned || outcomes.contains(.cancelled) ? .cancelled : .success
    }

    /// Writes the trace of `runs` when one was asked for; says so on stderr and returns false when it cannot.
    private func writeTrace(_ runs: [ChromeTrace.Run]) -> Bool {
        options.trace == nil || writeTrace(ChromeTrace.json(of: runs))
    }

    /// Writes the trace `json` to `--trace`; says so on stderr and returns false when it cannot.
    func writeTrace(_ json: @autoclosure () -> String) -> Bool {
        guard let path = options.trace else { return true }
        do {
            try OutputFile.write(json(), to: path)
            return true
        } catch {
            warn("error: cannot write the trace to \(path.escapingTerminalControls): \(error.description.escapingTerminalControls)")
            return false
        }
    }
}

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
