import BlocktopSupport
import ClusterSources
import DashboardModel
import Foundation
import Runs
import RunVocabulary
import Testing
import TestSupport

/// The observe-only sessions of `attach` and `watch` on recorded feeds (and one real bridge):
/// they run in the one headless loop to the feed's end, and sum up what they saw.
@Suite(.serialized) struct AttachWatchSessionTests {
    func attachSession(events: TaskEvents = .plugin, scheduler: String? = "tcp://127.0.0.1:8786", notice: String? = nil) throws -> AttachSession {
        AttachSession(feed: RecordedFeed(lines: try Fixture.lines("attach-session.jsonl")), address: "scheduler.example:8786",
                      scheduler: scheduler, events: events, notice: notice)
    }

    @Test func attachRunsInTheHeadlessLoopUntilTheSchedulerGoesAwayAndSaysWhatItSaw() throws {
        let session = try attachSession()
        let ending = HeadlessWatch.watch(session, progress: false, interval: 0.01, for: 30) { false }
        #expect(ending == .ended && session.hasEnded)
        #expect(session.goneMessage == "the scheduler at scheduler.example:8786 went away: scheduler closed")
        let summary = session.summary()
        #expect(summary.events == .plugin && summary.scheduler == "tcp://127.0.0.1:8786" && summary.ended == "scheduler closed")
        #expect(summary.workersPresent == 2 && summary.threads == 3 && summary.cpuPercent == 130)
        #expect(session.headlessProgress.done == summary.tasks.done && session.headlessProgress.total == summary.tasks.total)
        let lines = summary.text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("cluster tcp://127.0.0.1:8786 · 2 workers, 3 threads · CPU 130%"), "\(lines[0])")
        #expect(lines[0].hasSuffix(" · tasks \(summary.tasks.done)/\(summary.tasks.total) done"), "\(lines[0])")
        #expect(lines.contains { $0.hasPrefix("  tcp://127.0.0.1:40001 (127.0.0.1) 1 threads · CPU 95% · ") && $0.hasSuffix(" · gone") }, "\(lines)")
        #expect(lines.contains("  random_sample 3/4 done, 1 erred"), "\(lines)")
        #expect(lines.last == "  erred ('random_sample-5b2f', 1, 1): ZeroDivisionError('division by zero')")
    }

    @Test func theTitleSaysHowTheClusterIsWatchedAndNamesItAsTheUserDidWhenTheSchedulerIsNotKnown() throws {
        let overHTTP = try attachSession(events: .http, notice: "HTTP only")
        #expect(overHTTP.run.title == "cluster tcp://127.0.0.1:8786 · over HTTP only")
        #expect(overHTTP.notice == "HTTP only" && overHTTP.poll().failure == "HTTP only")
        #expect(try attachSession(events: .none, scheduler: nil).run.title == "cluster scheduler.example:8786 · counts only")
    }

    @Test func anAttachedSessionShowsTheWorkersAndOffersNoRunsOfItsOwn() throws {
        let session = try attachSession()
        #expect(session.capabilities == .clusterWorkers)
        let launcher = OneSourceLauncher(session)
        #expect(try launcher.launch(RunSettings(blockSize: nil, workers: 1)) === session)
        let refusal = #expect(throws: NothingToStart.self) { try launcher.prepare(RunSettings(blockSize: 2, workers: 1)) }
        #expect(refusal?.description == "watching a cluster: blocktop starts no runs on it")
        #expect(session.refusal(of: .pause) == "a cluster's work is not blocktop's to pause")
    }

    @Test func watchRunsInTheHeadlessLoopUntilTheProgramExitsAndEndsWithItsStatus() throws {
        let session = WatchSession(feed: RecordedFeed(lines: WatchStateTests.lines), program: ["python", "s.py"], pid: 4242, machine: nil)
        #expect(session.programExitStatus == nil)
        let ending = HeadlessWatch.watch(session, progress: false, interval: 0.01) { false }
        #expect(ending == .ended)
        #expect(session.programExitStatus == 3 && session.exitStatus == ExitStatus(rawValue: 3))
        let summary = session.summary()
        #expect(summary.program == ["python", "s.py"] && summary.pid == 4242 && summary.exitStatus == 3)
        #expect(summary.events == .callbacks && summary.scheduler == nil && summary.tasks.done == 2)
        #expect(summary.text.hasPrefix("program python s.py · exit status 3 · \(summary.workersPresent) workers"), "\(summary.text)")
    }

    @Test func aBridgeThatEndsWithoutTheProgramsStatusIsAFailure() {
        var end = FeedBatch()
        end.ended = "the bridge exited with status 1"
        let session = WatchSession(feed: RecordedFeed([end]), program: ["python", "s.py"], pid: 4242, machine: nil)
        #expect(session.advance(waitingUpTo: 0))
        #expect(session.programExitStatus == nil && session.exitStatus == .failure)
        #expect(session.summary().text.hasPrefix("program python s.py · exit status ? · "))
    }

    @Test func theSummaryTextEscapesControlCharactersFromTheProgramOrTheCluster() {
        let session = WatchSession(feed: RecordedFeed([]), program: ["python", "evil\u{1b}[2J.py"], pid: 1, machine: nil)
        let text = session.summary().text
        #expect(!text.contains("\u{1b}") && text.contains("evil"), "\(text)")
    }

    @Test func theCPUAverageLeavesOutTheBaseReadingAndReadingsThatAreNoNumbers() {
        var average = CPUAverage()
        #expect(average.percent == 0)
        average.add(500)
        #expect(average.percent == 0)
        for reading in [100, 300, .nan, -50] as [Double] { average.add(reading) }
        #expect(average.percent == 100)
    }

    @Test func endStopsTheProgramAndReturnsOnceTheBridgeSaidHowItEnded() throws {
        let folder = try TemporaryFolder("observe")
        let output = folder.file("output")
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: output))
        let session = try WatchSession.open([Python.executable, "-c", "import time; print('started', flush=True); time.sleep(600)"],
                                            python: Python.executable, executable: Blocktop.binary.path, stdout: handle, stderr: handle)
        try waitUntil("the program to start") { (try? String(contentsOfFile: output, encoding: .utf8))?.contains("started") == true }
        #expect(!session.advance(waitingUpTo: 0))
        session.end()
        // A signal ended it (SIGTERM, or SIGKILL where the test runner's children ignore SIGTERM),
        // and end() returned only once it had read the bridge's last words, which say so.
        let status = try #require(session.programExitStatus)
        #expect(session.hasEnded && [143, 137].contains(status) && session.exitStatus == ExitStatus(rawValue: Int32(status)))
        #expect(kill(session.pid, 0) == -1 && errno == ESRCH)
    }

    @Test func aPythonWithoutDaskOrNoneAtAllIsBadInput() {
        for python in ["/bin/false", "/no/such/python"] {
            do {
                _ = try WatchSession.open(["/bin/true"], python: python, executable: Blocktop.binary.path, stdout: .nullDevice, stderr: .nullDevice)
                Issue.record("\(python) was taken")
            } catch {
                #expect(error.badInput && error.status == .badInput, "\(python): \(error)")
            }
        }
    }
}
