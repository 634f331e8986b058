import BlocktopSupport
import Dashboard
import DashboardModel
import RunVocabulary
import Testing
import Themes

/// Other processes on the run's CPUs: each core bar's two shares, and the header's warning.
@Suite struct CompetitionTests {
    /// A running model fed one machine reading every 100 ms, each with `others(i)` CPUs taken by others.
    func model(readings: Int, capacity: Double = 2, cores: [CoreLoad] = [CoreLoad(own: 50, others: 10)],
               state: (Int) -> RunState = { _ in .running }, others: (Int) -> Double) -> DashboardModel {
        var run = Fixtures.run(rows: 2, columns: 2)
        run.capacity = capacity
        var model = DashboardModel(run: run)
        for i in 0..<readings {
            let machine = MachineReading(cores: cores, processCPU: 100, othersCPUs: others(i), residentBytes: 0,
                                         workerCPU: [nil, nil], memoryTotal: 1, memoryAvailable: 1)
            model.apply(SourceUpdate(time: UInt64(i) * 100_000_000, events: [], state: state(i), activeSeconds: Double(i) / 10,
                                     bytesHeld: 0, peakBytesHeld: 0, machine: machine))
        }
        return model
    }

    @Test func eachCoreBarDrawsBlocktopsShareThenOthersInTheirOwnColoursAndGlyphs() throws {
        let theme = Theme.standard
        let model = model(readings: 1, cores: [CoreLoad(own: 50, others: 25), CoreLoad(own: 0, others: 100)]) { _ in 0 }
        let frame = Fixtures.render(model, width: 120, height: 40)
        let layout = try #require(DashboardLayout(width: 120, height: 40, cores: 2, workers: 2))
        let inner = layout.cores.inset(1)
        // The bar runs from after "0 " to before " 100%".
        let bar = (inner.x + 2)..<(inner.x + inner.width - 5)
        func cells(row: Int, _ glyph: Unicode.Scalar, _ color: RGB) -> Int {
            bar.count { frame[$0, row].character == glyph && frame[$0, row].style.foreground == color }
        }
        let width = Double(bar.count)
        // Two cores: each bar has a row of its history under it.
        let second = inner.y + 2
        #expect(cells(row: inner.y, "█", theme.cpuOwn) == Int((width / 2).rounded()))
        #expect(cells(row: inner.y, "▒", theme.cpuOthers) == Int((width * 0.75).rounded()) - Int((width / 2).rounded()))
        #expect(cells(row: second, "█", theme.cpuOwn) == 0)
        #expect(cells(row: second, "▒", theme.cpuOthers) == bar.count)
        #expect(frame.lines[inner.y].hasSuffix(" 75%│") && frame.lines[second].hasSuffix("100%│"))

        // The legend in the top edge, each glyph in its share's colour.
        let top = frame.lines[layout.cores.y]
        #expect(top.hasSuffix(" █ blocktop ▒ others ─╮"), "\(top)")
        let legend = layout.cores.x + layout.cores.width - 2 - " █ blocktop ▒ others ".count
        #expect(frame[legend + 1, layout.cores.y].style.foreground == theme.cpuOwn)
        #expect(frame[legend + 12, layout.cores.y].style.foreground == theme.cpuOthers)

        let ascii = Fixtures.render(model, width: 120, height: 40, glyphs: .ascii)
        #expect(ascii.lines[layout.cores.y].hasSuffix(" # blocktop = others -+"))
        #expect(ascii.lines[second].contains("=========="))
    }

    @Test(arguments: [(0.9, 2.0, "others use 0.9 of 2 CPUs"), (0.25, 2.0, "others use 0.3 of 2 CPUs"),
                      (0.2, 2.0, nil), (0.2, 1.5, "others use 0.2 of 1.5 CPUs"), (0.4, 4.0, nil)])
    func theHeaderWarnsFromAnEighthOfTheUsableCPUs(others: Double, capacity: Double, warning: String?) {
        let model = model(readings: 10, capacity: capacity) { _ in others }
        let frame = Fixtures.render(model, width: 120, height: 40)
        let header = frame.lines[0]
        guard let warning else {
            #expect(!header.contains("others"), "\(header)")
            return
        }
        let right = "\(warning)  RUNNING  0.9s "
        #expect(header.hasSuffix(right), "\(header)")
        // In the warning colour, apart from the state.
        let x = 120 - right.count
        #expect(frame[x, 0].style.foreground == Theme.standard.barInk.load.at(75))
        #expect(frame[x, 0].style.foreground != frame[x + warning.count + 2, 0].style.foreground)
    }

    @Test func aBurstDoesNotWarnButASustainedLoadDoes() {
        // Three seconds of readings: one of 2 CPUs among zeros averages far below a quarter.
        let burst = model(readings: 30) { $0 == 25 ? 2 : 0 }
        #expect(!burst.othersDisturb)
        #expect(!Fixtures.render(burst, width: 120, height: 40).lines[0].contains("others"))
        // Others at 0.6 CPU for the last three seconds, after a quiet start, warn.
        let sustained = model(readings: 60) { $0 < 30 ? 0 : 0.6 }
        #expect(sustained.othersDisturb)
        #expect(Fixtures.render(sustained, width: 120, height: 40).lines[0].contains("others use 0.6 of 2 CPUs"))
    }

    @Test func onceTheRunEndedTheWarningIsTheRunsAverage() {
        // Others took 1 CPU while the run went (20 readings), then nothing while it stays on screen.
        let model = model(readings: 60, state: { $0 < 20 ? .running : .done }) { $0 < 20 ? 1 : 0 }
        let header = Fixtures.render(model, width: 120, height: 40).lines[0]
        #expect(header.contains("others used 1.0 of 2 CPUs  DONE"), "\(header)")
    }

    @Test func theHelpExplainsTheSharesAndTheWarning() {
        let text = Fixtures.render(Fixtures.model(), width: 80, height: 24, help: true).lines.joined(separator: "\n")
        #expect(text.contains("cores     █ blocktop's share of the core  ▒ other processes' (last 1s)"))
        #expect(text.contains("'others use N of M CPUs': others take 1/8 of the usable CPUs"))
        let ascii = Fixtures.render(Fixtures.model(), width: 80, height: 24, glyphs: .ascii, help: true).lines.joined(separator: "\n")
        #expect(ascii.contains("cores     # blocktop's share of the core  = other processes' (last 1s)"))
    }
}
