import BlocktopSupport
import Foundation
import Reporting
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

    /// Prints the table of a series (one row per ended run, `planned` runs in all) and writes its
    /// trace; returns 0 when every planned run finished and they agree, 1 when one failed or they
    /// differ, 3 when some were cancelled or not made, 74 / 1 when the table / the trace could not be written.
    package func finish(series rows: [TuningRow], traces: [RunTrace], kind: TuningKind, planned: Int) -> ExitStatus {
        let table = json ? TuningReport.json(rows, kind: kind).serialized()
            : kind == .blockSizes ? TuningReport.sweepTable(rows) : TuningReport.scaleTable(rows)
        let reported = emit(table)
        guard writeTrace(traces) else { return .failure }
        guard reported else { return .reportUnwritten }
        let outcomes = rows.map(\.outcome)
        if !TuningReport.resultsAgree(rows) || outcomes.contains(.failed) { return .failure }
        return rows.count < planned || outcomes.contains(.cancelled) ? .cancelled : .success
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
