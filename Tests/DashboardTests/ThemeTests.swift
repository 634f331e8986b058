import Dashboard
import Foundation
import Testing
import TestSupport
import Themes

@Suite struct ThemeTests {
    @Test func parsesBtopColourForms() throws {
        let file = try ThemeFile(parsing: """
            # a comment
            theme[main_bg]=""
            theme[main_fg]="#D8DEE9"
            theme[title]="#cc"
              theme[hi_fg] = "255 128 0"  
            theme[selected_bg]="#ff" 
            theme[some_future_key]="#123456"
            theme[cpu_mid]="#F8F8F2" #2eb398"
            """, file: "t.theme")
        #expect(file.colors["main_bg"] == .some(nil))
        #expect(file.colors["main_fg"] == RGB(0xD8, 0xDE, 0xE9))
        #expect(file.colors["title"] == RGB(grey: 0xCC))
        #expect(file.colors["hi_fg"] == RGB(255, 128, 0))
        #expect(file.colors["selected_bg"] == RGB(grey: 0xFF))
        #expect(file.colors["cpu_mid"] == RGB(0xF8, 0xF8, 0xF2))
        let theme = Theme(name: "t", file: file)
        #expect(theme.background == nil)
        #expect(theme.text == RGB(0xD8, 0xDE, 0xE9))
        // Missing keys come from the default theme.
        #expect(theme.cpuBox == Theme.standard.cpuBox)
    }

    @Test func brokenLinesNameFileAndLine() {
        #expect(throws: ThemeError.malformedLine(file: "b.theme", line: 2, text: "color = red")) {
            try ThemeFile(parsing: "theme[main_fg]=\"#ffffff\"\ncolor = red\n", file: "b.theme")
        }
        #expect(throws: ThemeError.invalidColor(file: "b.theme", line: 1, key: "main_fg", value: "#ggg")) {
            try ThemeFile(parsing: "theme[main_fg]=\"#ggg\"", file: "b.theme")
        }
        #expect(throws: ThemeError.invalidColor(file: "b.theme", line: 3, key: "title", value: "300 0 0")) {
            try ThemeFile(parsing: "\n\ntheme[title]=\"300 0 0\"", file: "b.theme")
        }
        #expect(ThemeError.malformedLine(file: "b.theme", line: 2, text: "x").description == "b.theme:2: expected theme[key]=\"value\", got x")
    }

    @Test func windowsLineEndingsParseAsLinesToo() throws {
        // "\r\n" is one Character in Swift, so splitting on "\n" alone read such a file as one line.
        let file = try ThemeFile(parsing: "# a comment\r\ntheme[main_fg]=\"#010203\"\r\n\r\ntheme[title]=\"4 5 6\"\r\n", file: "w.theme")
        #expect(file.colors == ["main_fg": RGB(1, 2, 3), "title": RGB(4, 5, 6)])
        #expect(throws: ThemeError.malformedLine(file: "w.theme", line: 2, text: "oops")) {
            try ThemeFile(parsing: "theme[title]=\"#ffffff\"\r\noops\r\n", file: "w.theme")
        }
    }

    @Test func gradientsHave101StepsFromStartMidEnd() {
        let three = Gradient(start: RGB(0, 0, 0), mid: RGB(100, 100, 100), end: RGB(200, 0, 0))
        #expect(three.steps.count == 101)
        #expect(three.at(0) == RGB(0, 0, 0))
        #expect(three.at(50) == RGB(100, 100, 100))
        #expect(three.at(100) == RGB(200, 0, 0))
        #expect(three.at(25) == RGB(50, 50, 50))
        let two = Gradient(start: RGB(0, 0, 0), end: RGB(200, 200, 200))
        #expect(two.at(50) == RGB(100, 100, 100))
        #expect(Gradient(start: RGB(1, 2, 3)).steps.allSatisfy { $0 == RGB(1, 2, 3) })
        #expect(three.at(250) == three.at(100) && three.at(-5) == three.at(0))
    }

    @Test func gradientMidAndEndComeFromTheSameFile() throws {
        let theme = Theme(name: "g", file: try ThemeFile(parsing: "theme[cpu_start]=\"#10\"\ntheme[cpu_mid]=\"\"\ntheme[cpu_end]=\"\"", file: "g"))
        #expect(theme.cpu.steps.allSatisfy { $0 == RGB(grey: 0x10) })
    }

    @Test func shippedDefaultMatchesTheBuiltIn() throws {
        let shipped = try String(contentsOfFile: Self.themesFolder + "/default.theme", encoding: .utf8)
        #expect(shipped.trimmingCharacters(in: .newlines) == defaultThemeText.trimmingCharacters(in: .newlines))
    }

    @Test func blocktopShipsAtLeastSixThemesThatLoadCleanly() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.themesFolder).filter { $0.hasSuffix(".theme") }
        #expect(files.count >= 6)
        for file in files {
            let theme = try ThemeCatalog.load(file: Self.themesFolder + "/" + file, name: file)
            let text = try String(contentsOfFile: Self.themesFolder + "/" + file, encoding: .utf8)
            // Our themes set every blocktop key themselves.
            for key in ["block_waiting", "block_ready", "block_done", "block_failed", "cpu_own", "cpu_others", "worker_0"] {
                #expect(text.contains("theme[\(key)]"), "\(file) lacks \(key)")
            }
            let frame = Fixtures.render(Fixtures.model(), width: 80, height: 24, theme: theme)
            #expect(frame.lines[0].contains("RUNNING"))
        }
    }

    /// Every theme Debian's btop package installs loads unchanged and renders a frame.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/share/btop/themes")))
    func everyBtopThemeLoadsAndRenders() throws {
        let folder = "/usr/share/btop/themes"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".theme") }
        #expect(files.count >= 20)
        for file in files {
            let theme = try ThemeCatalog.load(file: folder + "/" + file, name: file)
            #expect(theme.workers.count >= 2)
            let frame = Fixtures.render(Fixtures.model(state: .failed), width: 120, height: 40, theme: theme)
            #expect(frame.lines[0].contains("FAILED"), "\(file)")
            #expect(frame.cells.contains { $0.style.foreground == theme.blockDone })
        }
    }

    @Test func catalogSearchesInOrderAndWarnsOnBrokenFiles() throws {
        let temporary = try TemporaryFolder("blocktop-themes")
        let folder = temporary.path
        try "theme[main_fg]=\"#010203\"\n".write(toFile: folder + "/default.theme", atomically: true, encoding: .utf8)
        try "theme[main_fg]=\"#010203\"\nnot a theme line\n".write(toFile: folder + "/broken.theme", atomically: true, encoding: .utf8)
        let catalog = ThemeCatalog.standard(themesDirectory: folder, environment: ["XDG_CONFIG_HOME": "/nonexistent"])
        #expect(catalog.folders[0] == folder)
        #expect(catalog.folders[1] == "/nonexistent/blocktop/themes")
        #expect(catalog.folders.contains("/usr/share/btop/themes"))
        #expect(try catalog.load("default").theme.text == RGB(1, 2, 3))
        let (theme, warning) = try catalog.load("broken")
        #expect(theme == .standard)
        #expect(warning == .malformedLine(file: folder + "/broken.theme", line: 2, text: "not a theme line"))
        #expect(throws: ThemeError.self) { try catalog.load("no-such-theme") }
        #expect(catalog.names.first == "default")
        #expect(catalog.names.contains("broken"))
        let home = ThemeCatalog.standard(environment: ["HOME": "/home/u"])
        #expect(home.folders.first == "/home/u/.config/blocktop/themes")
    }

    static let themesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("themes").path
}
