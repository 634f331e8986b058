import BlocktopSupport
import Foundation
import Tuning

/// Where finished runs go: the report or the table on stdout (text or JSON), and the trace file.
package struct RunOutput {
    /// One JSON object instead of text.
    package let json: Bool
    /// Where the Chrome trace goes (`--trace`); nil for none.
    package let trace: String?

    package init(json: Bool, trace: String?) {
        self.json = json
        self.trace = trace
    }

    /// Prints the run's report and writes its trace (each whole or not at all); returns the
    /// run's exit status, or 74 / 1 when the report / the trace could not be written.
    package func finish(_ run: FinishedRun) -> ExitStatus {
        run.problems.forEach { warn("error: " + $0.escapingTerminalControls) }
        let reported = emit(json ? run.report.json.serialized() : run.report.text)
        guard writeTrace([run.trace(named: run.traceName)]) else { return .failure }
        guard reported else { return .reportUnwritten }
        return run.status
    }

    /// Watches `session` without a screen until it ends or `interruption()` (a signal's number, 0
    /// for none) cancels it, then reports it; returns its exit status, 128 + n after signal n
    /// (its output file then not kept).
    package func finish(watching session: any RunSession, progress: Bool, interruption: () -> Int32) -> ExitStatus {
        HeadlessWatch.watch(session, progress: progress) { interruption() != 0 }
        let signalNumber = interruption()
        let status = finish(session.finish(keepOutput: signalNumber == 0))
        return signalNumber != 0 ? .signal(signalNumber) : status
    }

    /// Prints the table of what a series `made` of `plan` (a row per ended run) and writes its
    /// trace; returns 0 when every planned run finished and they agree, 1 when one failed or they
    /// differ, 3 when some were cancelled or not made, 74 / 1 when the table / the trace could not
    /// be written, 128 + n when signal n cut the series short.
    package func finish(_ made: TuningSeries.Made, of plan: TuningPlan) -> ExitStatus {
        let rows = made.rows
        let table = json ? TuningReport.json(rows, kind: plan.kind).serialized()
            : plan.kind == .blockSizes ? TuningReport.sweepTable(rows) : TuningReport.scaleTable(rows)
        let reported = emit(table)
        let traced = writeTrace(made.traces)
        if made.signal != 0 { return .signal(made.signal) }
        guard traced else { return .failure }
        guard reported else { return .reportUnwritten }
        let outcomes = rows.map(\.outcome)
        if !TuningReport.resultsAgree(rows) || outcomes.contains(.failed) { return .failure }
        return rows.count < plan.steps.count || outcomes.contains(.cancelled) ? .cancelled : .success
    }

    /// Writes the trace of `runs` to `--trace` when one was asked for; says so on stderr and returns false when it cannot.
    private func writeTrace(_ runs: [RunTrace]) -> Bool {
        guard let path = trace else { return true }
        do {
            try OutputFile.write(RunTrace.json(of: runs), to: path)
            return true
        } catch {
            warn("error: cannot write the trace to \(path.escapingTerminalControls): \(error.description.escapingTerminalControls)")
            return false
        }
    }
}

/// Prints `blocktop: ` and one line to stderr.
package func warn(_ message: String) {
    FileHandle.standardError.write(Data("blocktop: \(message)\n".utf8))
}

/// Writes `text` and a newline to stdout in one piece; on failure (a full disk, a closed
/// pipe) says so on stderr and returns false.
package func emit(_ text: String) -> Bool {
    do {
        try FileHandle.standardOutput.write(contentsOf: Data((text + "\n").utf8))
        return true
    } catch {
        warn("error: cannot write the report to stdout: \(String(cString: strerror(errno)))")
        return false
    }
}
