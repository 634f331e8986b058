import Dashboard
import Testing
import Themes

@Suite struct TerminalTests {
    @Test func colourDepthFollowsTheTerminalAndTheUser() {
        #expect(ColorDepth(terminalColors: 1 << 24) == .trueColor)
        #expect(ColorDepth(terminalColors: 256) == .palette256)
        #expect(ColorDepth(terminalColors: 8) == .ansi8)
        #expect(ColorDepth(terminalColors: 0) == .none)
        #expect(ColorChoice.auto.depth(terminal: .palette256, noColor: false) == .palette256)
        #expect(ColorChoice.auto.depth(terminal: .palette256, noColor: true) == ColorDepth.none)
        #expect(ColorChoice.never.depth(terminal: .trueColor, noColor: false) == ColorDepth.none)
        #expect(ColorChoice.always.depth(terminal: .palette256, noColor: true) == .palette256)
    }

    @Test func coloursMapToThePalettes() {
        #expect(ColorMapper.number(RGB(255, 0, 0), depth: .palette256) == 196)
        #expect(ColorMapper.number(RGB(0, 0, 0), depth: .palette256) == 16)
        #expect(ColorMapper.number(RGB(grey: 0x80), depth: .palette256) == 244)
        #expect(ColorMapper.number(RGB(0x12, 0x34, 0x56), depth: .trueColor) == 0x123456)
        #expect(ColorMapper.number(nil, depth: .palette256) == -1)
        #expect(ColorMapper.number(RGB(220, 40, 40), depth: .ansi8) == 1)
        #expect(ColorMapper.number(RGB(40, 200, 60), depth: .ansi8) == 2)
        #expect(ColorMapper.number(RGB(grey: 0xD0), depth: .ansi8) == 7)
        #expect(ColorMapper.number(RGB(grey: 0x20), depth: .ansi8) == 0)
    }

    @Test func keysMapToCommands() {
        #expect(KeyCommand(key: "q") == .quit)
        #expect(KeyCommand(key: " ") == .togglePause)
        #expect(KeyCommand(key: "[") == .halveBlocks)
        #expect(KeyCommand(key: "]") == .doubleBlocks)
        #expect(KeyCommand(key: "+") == .moreWorkers)
        #expect(KeyCommand(key: "-") == .fewerWorkers)
        #expect(KeyCommand(key: "?") == .help)
        #expect(KeyCommand(key: "z") == nil)
    }

    @Test func exitStatusTellsWhatHappened() {
        #expect(DashboardOutcome.finished(.done).exitStatus.rawValue == 0)
        #expect(DashboardOutcome.finished(.failed).exitStatus.rawValue == 1)
        #expect(DashboardOutcome.quit(.running).exitStatus.rawValue == 3)
        #expect(DashboardOutcome.signal(2).exitStatus.rawValue == 130)
        #expect(DashboardOutcome.signal(15).exitStatus.rawValue == 143)
        #expect(DashboardOutcome.signal(1).exitStatus.rawValue == 129)
    }
}
