import BlocktopSupport
import Dashboard
import DashboardModel
import Foundation
import Testing
import Themes

/// Every text cell reaches `Theme.minimumContrast` in every shipped theme and every btop theme.
@Suite struct ContrastTests {
    static let btopFolder = "/usr/share/btop/themes"

    /// Whether a cell is text: any character but a space, a box-drawing line or a block element
    /// (U+2500–U+259F), which are graphics (the rule `TextColors` states).
    static func isText(_ character: Unicode.Scalar) -> Bool {
        character != " " && !(0x2500...0x259F).contains(character.value)
    }

    /// Shipped themes (themes/) and btop's, each as (label, path).
    static func themeFiles() throws -> [(name: String, path: String)] {
        // #filePath is Tests/DashboardTests/ContrastTests.swift in the checkout.
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("themes").path
        var files: [(String, String)] = []
        for folder in [shipped, btopFolder] {
            let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".theme") }.sorted()
            files += names.map { (folder == btopFolder ? "btop/" : "") + String($0.dropLast(6)) }.enumerated()
                .map { ($0.element, folder + "/" + names[$0.offset]) }
        }
        return files
    }

    /// The frames to check: a run mid-way with help and a footer message, one done, one failed,
    /// one paused, one cancelled with recent runs, and a sweep chart with a run still to come.
    static func frames(_ theme: Theme) -> [(label: String, frame: Frame)] {
        var frames: [(String, Frame)] = []
        func add(_ label: String, _ model: DashboardModel, width: Int = 120, height: Int = 40, _ change: (inout ViewState) -> Void = { _ in }) {
            var state = ViewState(theme: theme, glyphs: .unicode)
            change(&state)
            frames.append((label, DashboardView(model: model, state: state).render(width: width, height: height)))
        }
        add("running", Fixtures.model(cores: 4, workers: 3)) { $0.message = "theme: \(theme.name)" }
        add("help", Fixtures.model()) { $0.showHelp = true }
        add("others", Fixtures.model(othersCPUs: 0.9), width: 80, height: 24)
        add("others after the end", Fixtures.model(state: .done, othersCPUs: 0.9))
        add("done", Fixtures.model(state: .done), width: 80, height: 24)
        add("failed", Fixtures.model(state: .failed, failure: "boom"), width: 80, height: 24)
        add("paused", Fixtures.model(state: .paused), width: 80, height: 24) { $0.prompt = PromptLine("random((") }
        add("prompt error", Fixtures.model(), width: 80, height: 24) {
            var line = PromptLine("nosuch(3) + 1")
            _ = line.apply(.home)
            $0.prompt = line
            $0.promptError = PromptError(message: "unknown function 'nosuch'", range: 0..<6)
        }
        add("cancelled", Fixtures.model(state: .cancelled)) {
            $0.recentRuns = [RecentRun(title: "(x @ x.T).sum()", blockShape: [500, 500], workers: 2, seconds: 12, cpuPercent: 190, state: .done),
                             RecentRun(title: "ones((4, 4))", blockShape: [2, 2], workers: 1, seconds: 1, cpuPercent: nil, state: .cancelled)]
        }
        add("sweep", Fixtures.model()) {
            // In round 2: bars, the row running marked, the verdict in the bottom edge.
            $0.tuning = TuningChartTests.sweepChart(done: 5)
        }
        add("too small", Fixtures.model(), width: 30, height: 8)
        return frames
    }

    /// One colour pair under the minimum in one theme: where it was first seen and how often.
    struct Offender: CustomStringConvertible {
        var theme, firstCell: String
        var foreground, background: RGB
        var cells: Int

        var description: String {
            "\(theme): \(foreground) on \(background) " + String(format: "%.2f", foreground.contrast(with: background))
                + ":1 in \(cells) cells, first \(firstCell)"
        }
    }

    /// The colour pairs of text cells under the minimum in `theme`, in the order first seen.
    static func offenders(_ theme: Theme, label: String) -> [Offender] {
        var found: [Offender] = []
        for (name, frame) in frames(theme) {
            for y in 0..<frame.height {
                for x in 0..<frame.width where isText(frame[x, y].character) {
                    let style = frame[x, y].style
                    let foreground = style.foreground ?? theme.text
                    let background = style.background ?? theme.textBackground
                    guard foreground.contrast(with: background) < Theme.minimumContrast else { continue }
                    if let index = found.firstIndex(where: { $0.foreground == foreground && $0.background == background }) {
                        found[index].cells += 1
                    } else {
                        found.append(Offender(theme: label, firstCell: "'\(frame[x, y].character)' at (\(x),\(y)) of \(name)",
                                              foreground: foreground, background: background, cells: 1))
                    }
                }
            }
        }
        return found
    }

    @Test func everyTextCellIsReadableInEveryTheme() throws {
        try #require(FileManager.default.fileExists(atPath: Self.btopFolder),
                     "btop is not installed: \(Self.btopFolder) is missing (make test installs it)")
        let files = try Self.themeFiles()
        #expect(files.count(where: { $0.name.hasPrefix("btop/") }) >= 20)
        var offenders = Self.offenders(.standard, label: "built-in")
        for file in files {
            offenders += Self.offenders(try ThemeCatalog.load(file: file.path, name: file.name), label: file.name)
        }
        if !offenders.isEmpty {
            let cells = offenders.reduce(0) { $0 + $1.cells }
            let list = offenders.map(\.description).joined(separator: "\n")
            Issue.record("\(offenders.count) colour pairs (\(cells) text cells) under \(Theme.minimumContrast):1\n\(list)")
        }
    }

    @Test func readableKeepsHueAndMovesLightnessAwayFromTheBackground() {
        let dark = RGB(0x00, 0x2B, 0x36), grey = RGB(0x07, 0x36, 0x42)  // solarized_dark's main_bg, inactive_fg
        let fixed = grey.readable(on: dark)
        #expect(fixed.contrast(with: dark) >= 3)
        #expect(fixed.relativeLuminance > grey.relativeLuminance)
        #expect(fixed.blue > fixed.green && fixed.green > fixed.red)
        // Already readable: unchanged. On a light background: darker.
        #expect(RGB(grey: 255).readable(on: dark) == RGB(grey: 255))
        let paper = RGB(0xF2, 0xEE, 0xDE), pale = RGB(0xCC, 0xC8, 0xB0)
        #expect(pale.readable(on: paper).contrast(with: paper) >= 3)
        #expect(pale.readable(on: paper).relativeLuminance < pale.relativeLuminance)
        // Same colour as the background (night-owl's header): still reaches 3:1.
        #expect(paper.readable(on: paper).contrast(with: paper) >= 3)
    }

    @Test func contrastFollowsWCAG() {
        #expect(abs(RGB(grey: 0).contrast(with: RGB(grey: 255)) - 21) < 1e-9)
        #expect(RGB(0x77, 0x77, 0x77).contrast(with: RGB(grey: 255)) > 4.47)
        #expect(RGB(0x77, 0x77, 0x77).contrast(with: RGB(grey: 255)) < 4.49)
    }
}
