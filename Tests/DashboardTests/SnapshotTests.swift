import BlocktopSupport
import Dashboard
import DashboardModel
import Foundation
import RunVocabulary
import Testing
import Themes

/// Frames of fixed models, read back as lines (Ratatui TestBackend style).
@Suite struct SnapshotTests {
    @Test(arguments: [(80, 24), (120, 40), (200, 60)])
    func everyPartIsOnScreen(width: Int, height: Int) {
        let frame = Fixtures.render(Fixtures.model(), width: width, height: height)
        let lines = frame.lines
        #expect(lines.count == height)
        #expect(lines.allSatisfy { $0.unicodeScalars.count == width })
        #expect(lines[0].hasPrefix(" blocktop  (x @ x.T).sum()"))
        #expect(lines[0].contains("RUNNING"))
        #expect(lines[1] .hasPrefix(" array 10000×10000 · blocks 1000×1000 (100) · tasks 200 · workers 2"))
        let text = lines.joined(separator: "\n")
        for title in ["process cpu", "cores (2)", "matmul · 10×10 blocks", "progress", "workers · tasks last 10s by operation · CPU% last 1s", "█ random █ matmul"] {
            #expect(text.contains(title), "missing box \(title)")
        }
        #expect(text.contains("efficiency 99% of 2 workers"))
        #expect(text.contains("tasks  66 / 200  33.0%"))
        #expect(text.contains("RSS    812 MB"))
        #expect(text.contains("held   96 MB  peak 240 MB"))
        #expect(lines[height - 1].hasPrefix(" q quit  space pause  c cancel  r rerun"))
    }

    /// Lane cells take the colour of their operation (in the fixture, worker 0 runs only
    /// `random` tasks and worker 1 only `matmul` ones); the legend's swatches match.
    @Test func lanesAreColouredByOperation() throws {
        let theme = Theme.standard
        #expect(theme.operation(0) != theme.operation(1))
        let frame = Fixtures.render(Fixtures.model(), width: 80, height: 24)
        let lines = frame.lines
        for (worker, operation) in [(0, 0), (1, 1)] {
            let y = try #require(lines.firstIndex { $0.hasPrefix("│ w\(worker) ") })
            let busy = (5..<75).map { frame[$0, y] }.filter { "░▒▓█".unicodeScalars.contains($0.character) }
            #expect(!busy.isEmpty)
            #expect(busy.allSatisfy { $0.style.foreground == theme.operation(operation) }, "w\(worker)")
        }
        let legend = lines[22].unicodeScalars.map { $0 }
        let swatches = legend.indices.filter { legend[$0] == "█" }.map { frame[$0, 22].style.foreground }
        #expect(swatches == [theme.operation(0), theme.operation(1)])
    }

    /// The whole 80×24 screen of the standard fixture, character for character.
    @Test func exactScreenAt80x24() {
        let expected = """
         blocktop  (x @ x.T).sum()                                        RUNNING  1.7s 
         array 10000×10000 · blocks 1000×1000 (100) · tasks 200 · workers 2             
        ╭─ process cpu ──────────────╮╭─ cores (2) ────────────── █ blocktop ▒ others ─╮
        │ ▄█  █▀█ █▀█ ▀ █ CPU now    ││0 ─────────────────────────────────────────   0%│
        │  █  ▀▀█ █▀█ ▄▀  of 200%    ││                                                │
        │ ▀▀▀ ▀▀▀ ▀▀▀ ▀ ▀            ││1 ███████████████▒─────────────────────────  38%│
        │                          █ ││                                          ▃     │
        │ efficiency 99% of 2 workers││                                                │
        ╰────────────────────────────╯╰────────────────────────────────────────────────╯
        ╭─ matmul · 10×10 blocks · 2×2 a cell ───────╮╭─ progress ─────────────────────╮
        │ ███████ ███████ ███████ ███████ ███████    ││ tasks  66 / 200  33.0%         │
        │ ███████ ▓▓▓▓▓▓▓ ▄▄▄▄▄▄▄ ▄▄▄▄▄▄▄ ▄▄▄▄▄▄▄    ││ █████████───────────────────── │
        │ ······· ······· ······· ······· ·······    ││ rate   39.8 tasks/s            │
        │ ······· ······· ······· ······· ·······    ││ speed  79.5 GFLOP/s            │
        │ ······· ······· ······· ······· ·······    ││ ETA    3.4s                    │
        │                                            ││ RSS    812 MB                  │
        │                                            ││ held   96 MB  peak 240 MB      │
        │ · waiting  ░ ready  ▓ running  ▄ part done ││ system memory  4.0 GB / 24 GB  │
        ╰────────────────────────────────────────────╯╰────────────────────────────────╯
        ╭─ workers · tasks last 10s by operation · CPU% last 1s ───────────────────────╮
        │ w0 ░░░░░──░███░────────────────────────────────────────────────────────  90% │
        │ w1 ░░░░░──░███░────────────────────────────────────────────────────────  91% │
        ╰─ █ random █ matmul ──────────────────────────────────────────────────────────╯
         q quit  space pause  c cancel  r rerun  [ ] block size  : expression  h help   
        """
        let lines = Fixtures.render(Fixtures.model(), width: 80, height: 24).lines
        let expectedLines = expected.components(separatedBy: "\n")
        #expect(lines.count == expectedLines.count)
        for (row, (line, wanted)) in zip(lines, expectedLines).enumerated() {
            #expect(line == wanted, "row \(row)")
        }
    }

    @Test(arguments: [2, 16, 64, 256])
    func coresFitWithoutOverflow(cores: Int) {
        for (width, height) in [(80, 24), (120, 40), (200, 60)] {
            let frame = Fixtures.render(Fixtures.model(cores: cores), width: width, height: height)
            let layout = DashboardLayout(width: width, height: height, cores: cores, workers: 2)!
            let lines = frame.lines
            #expect(lines[layout.cores.y].contains("cores (\(cores))"))
            // Nothing drawn over the right border of the cores box.
            for row in (layout.cores.y + 1)..<(layout.cores.y + layout.cores.height - 1) {
                #expect(frame[layout.cores.x + layout.cores.width - 1, row].character == "│")
            }
            let inner = layout.cores.inset(1)
            let barsFit = (cores + inner.height - 1) / inner.height
            if (inner.width - (barsFit - 1)) / barsFit >= CoreBarsWidget.minimumEntryWidth {
                // Full bars: the last core has its label.
                let label = String(cores - 1)
                #expect(lines[inner.y..<(inner.y + inner.height)].contains { $0.contains("│\(label) ") || $0.contains(" \(label) ") })
            }
        }
    }

    @Test func manyCoresBecomeLevelGlyphsAt80x24() {
        let frame = Fixtures.render(Fixtures.model(cores: 256), width: 80, height: 24)
        let layout = DashboardLayout(width: 80, height: 24, cores: 256, workers: 2)!
        let inner = layout.cores.inset(1)
        var glyphs = 0
        for row in inner.y..<(inner.y + inner.height) {
            for column in inner.x..<(inner.x + inner.width) where Glyphs.unicode.levels.contains(frame[column, row].character)
                && frame[column, row].character != " " {
                glyphs += 1
            }
        }
        #expect(glyphs == 256)
    }

    /// The demo's 10×10 grid fills at least 80% of its panel's width or height at every size.
    @Test(arguments: [(80, 24), (120, 40), (200, 60)])
    func theGridFillsItsPanel(width: Int, height: Int) throws {
        let lines = Fixtures.render(Fixtures.model(), width: width, height: height).lines.map { Array($0.unicodeScalars) }
        let top = try #require(lines.firstIndex { String(String.UnicodeScalarView($0)).contains("╭─ matmul · 10×10 blocks") })
        let left = try #require(lines[top].firstIndex(of: "╭")), right = try #require(lines[top][(left + 1)...].firstIndex(of: "╮"))
        let bottom = try #require(lines[(top + 1)...].firstIndex { $0[left] == "╰" })
        // Inside the box, less the padding column on each side and the legend row.
        let inner = (width: right - left - 3, height: bottom - top - 2)
        let cells = (top + 1)..<(bottom - 1)
        let used = cells.flatMap { row in ((left + 2)..<(right - 1)).filter { "█▓▄·░".unicodeScalars.contains(lines[row][$0]) }.map { (row, $0) } }
        let usedWidth = (used.map(\.1).max() ?? 0) - (used.map(\.1).min() ?? 0) + 1
        let usedHeight = (used.map(\.0).max() ?? 0) - (used.map(\.0).min() ?? 0) + 1
        #expect(Double(usedWidth) >= 0.8 * Double(inner.width) || Double(usedHeight) >= 0.8 * Double(inner.height),
                "\(usedWidth)×\(usedHeight) of \(inner.width)×\(inner.height)")
    }

    /// A stencil part-way: its steps are one stage, each block fills up step by step, and the
    /// title says which steps the blocks are at.
    @Test func aStencilPartWayShowsItsSteps() throws {
        // 2×2 blocks, 3 steps: task t is step t / 4 of block t % 4.
        let tasks = 12
        let run = RunDescription(title: "diffuse(random((200, 200)), steps=3, rate=0.1)", arrayShape: [200, 200],
                                 blockShape: [100, 100], blockCount: 4, workerCount: 2, capacity: 2,
                                 taskFlops: Array(repeating: 1e6, count: tasks),
                                 grid: BlockGridMap(stage: "diffuse", extent: [2, 2], steps: 3,
                                                    blockOfTask: (0..<tasks).map { Int32($0 % 4) }))
        var model = DashboardModel(run: run)
        // Step 1 of every block, and step 2 of the first two.
        let events = (0..<6).map { ActivityEvent(.finished, worker: $0 % 2, task: $0, time: 1, startTime: 0) }
        model.apply(SourceUpdate(time: 1, events: events, state: .running, activeSeconds: 1, bytesHeld: 0, peakBytesHeld: 0, machine: nil))
        let lines = Fixtures.render(model, width: 120, height: 40).lines
        let title = try #require(lines.firstIndex { $0.contains("╭─ diffuse · 2×2 blocks · steps 1-2/3 ─") })
        let two = Character(Unicode.Scalar(Glyphs.unicode.level(2.0 / 3))), one = Character(Unicode.Scalar(Glyphs.unicode.level(1.0 / 3)))
        #expect(lines[title + 1].contains(String(repeating: two, count: 5)) && !lines[title + 1].contains(one), "\(lines[title + 1])")
        let lower = try #require(lines[(title + 1)...].first { $0.contains(one) })
        #expect(!lower.contains(two), "\(lower)")
    }

    /// A 3-D stage folds into planes side by side, a line between them, and the title says so.
    @Test func aThreeDimensionalStageFoldsIntoPlanes() throws {
        let extent = [3, 4, 5], blocks = 60
        let run = RunDescription(title: "diffuse(random((300, 400, 500)), steps=1, rate=0.1)", arrayShape: [300, 400, 500],
                                 blockShape: [100, 100, 100], blockCount: blocks, workerCount: 2, capacity: 2,
                                 taskFlops: Array(repeating: 1e6, count: blocks),
                                 grid: BlockGridMap(stage: "diffuse", extent: extent, blockOfTask: (0..<blocks).map { Int32($0) }))
        var model = DashboardModel(run: run)
        // The first plane done; nothing of the others.
        let events = (0..<20).map { ActivityEvent(.finished, worker: 0, task: $0, time: 1, startTime: 0) }
        model.apply(SourceUpdate(time: 1, events: events, state: .running, activeSeconds: 1, bytesHeld: 0, peakBytesHeld: 0, machine: nil))
        let lines = Fixtures.render(model, width: 120, height: 40).lines
        let title = try #require(lines.firstIndex { $0.contains("╭─ diffuse · 3×4×5 blocks in 3 planes of 4×5 ─") })
        let row = Array(lines[title + 1].unicodeScalars)
        let separators = row.indices.filter { row[$0] == "│" }
        // The box's two edges, the progress box's, and a line between each pair of planes.
        #expect(separators.count == 2 + 2 + 2, "\(lines[title + 1])")
        let first = String(String.UnicodeScalarView(row[(separators[0] + 1)..<separators[1]]))
        let second = String(String.UnicodeScalarView(row[(separators[1] + 1)..<separators[2]]))
        #expect(first.contains("█") && !first.contains("·"), "\(first)")
        #expect(second.contains("·") && !second.contains("█"), "\(second)")
    }

    /// The arrow keys put a cursor on a block (reverse video) and open its detail: each task
    /// with its operation, state, worker, start and duration; Esc closes it.
    @Test func aBlocksDetailListsItsTasks() throws {
        var state = ViewState()
        state.cursor = 0
        state.pinnedStage = 0
        let frame = DashboardView(model: Fixtures.model(), state: state).render(width: 120, height: 40)
        let lines = frame.lines
        let top = try #require(lines.firstIndex { $0.contains("╭─ block [0, 0] of matmul · 2 tasks · arrows move, Esc closes ─") })
        #expect(lines[top + 1].contains(" operation              state     worker    start     took"))
        // The fixture's first block: task 0 (random) and task 1 (matmul), both done, on workers 0 and 1.
        #expect(lines[top + 2].contains(" random                 done      w0        0.0s      5ms"), "\(lines[top + 2])")
        #expect(lines[top + 3].contains(" matmul                 done      w1        0.0s      5ms"), "\(lines[top + 3])")
        let gridTop = try #require(lines.firstIndex { $0.contains("╭─ matmul · 10×10 blocks") })
        let first = try #require(Array(lines[gridTop + 1].unicodeScalars).firstIndex(of: "█"))
        #expect(frame[first, gridTop + 1].style.reverse)
        #expect(!frame[first + 8, gridTop + 1].style.reverse)
    }

    /// The grid panel of `frame` (the box titled `title`), line by line.
    static func panel(_ frame: Frame, titled title: String) throws -> [String] {
        let lines = frame.lines
        let top = try #require(lines.firstIndex { $0.contains("╭─ " + title) })
        let left = try #require(Array(lines[top].unicodeScalars).firstIndex(of: "╭"))
        let right = try #require(Array(lines[top].unicodeScalars)[(left + 1)...].firstIndex(of: "╮"))
        let bottom = try #require(lines[(top + 1)...].firstIndex { Array($0.unicodeScalars)[left] == "╰" })
        return lines[top...bottom].map { String(String.UnicodeScalarView(Array($0.unicodeScalars)[left...right])) }
    }

    /// `random((1000, 1000), chunks=((100, 300, 600), (500, 500)))`: the rows of blocks are 100,
    /// 300 and 600 high, so their cells are 1, 5 and 11 rows (a gap under each); the columns, of
    /// one size, stay even.
    @Test func anIrregularGridDrawsBlocksInProportion() throws {
        var model = DashboardModel(run: Fixtures.irregularRun())
        model.apply(SourceUpdate(time: 0, events: [], state: .running, activeSeconds: 0, bytesHeld: 0, peakBytesHeld: 0, machine: nil))
        model.apply(Fixtures.irregularUpdate())
        let expected = """
        ╭─ random · 3×2 blocks ────────────────────────────────────────────────────────╮
        │ █████████████████████████████████████ █████████████████████████████████████  │
        │                                                                              │
        │ █████████████████████████████████████ ▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓  │
        │ █████████████████████████████████████ ▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓  │
        │ █████████████████████████████████████ ▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓  │
        │ █████████████████████████████████████ ▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓  │
        │ █████████████████████████████████████ ▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓  │
        │                                                                              │
        │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ ·····································  │
        │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ ·····································  │
        │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ ·····································  │
        │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ ·····································  │
        │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ ·····································  │
        │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ ·····································  │
        │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ ·····································  │
        │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ ·····································  │
        │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ ·····································  │
        │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ ·····································  │
        │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ ·····································  │
        │                                                                              │
        │                                                                              │
        │                                                                              │
        │                                                                              │
        │ · waiting  ░ ready  ▓ running  ▄ part done  █ done  ✗ failed                 │
        ╰──────────────────────────────────────────────────────────────────────────────╯
        """
        let panel = try Self.panel(Fixtures.render(model, width: 120, height: 40), titled: "random · 3×2 blocks")
        #expect(panel == expected.components(separatedBy: "\n"))
    }

    /// A click on a block opens its detail as the arrow keys do: the block in reverse video, its
    /// task with operation, state, worker, start and duration.
    @Test func aClickOpensTheDetailOfTheBlockUnderIt() throws {
        let source = ReplaySource(run: Fixtures.irregularRun(), updates: [
            SourceUpdate(time: 0, events: [], state: .running, activeSeconds: 0, bytesHeld: 0, peakBytesHeld: 0, machine: nil),
            Fixtures.irregularUpdate(),
        ])
        let session = try DashboardSession(launcher: source, settings: RunSettings(blockSize: nil, workers: 2), view: ViewState(),
                                           catalog: ThemeCatalog(folders: []))
        session.refresh()
        session.refresh()
        _ = session.frame(width: 120, height: 40)
        _ = session.handle(.click(column: 50, row: 12))
        #expect(session.view.cursor == 3)
        let expected = """
        ╭─ random · 3×2 blocks ────────────────────────────────────────────────────────╮
        │ █████████████████████████████████████ █████████████████████████████████████  │
        │                                                                              │
        │ █████████████████████████████████████ ▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓  │
        │ █████████████████████████████████████ ▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓  │
        │ █████████████████████████████████████ ▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓  │
        │ █████████████████████████████████████ ▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓  │
        │ █████████████████████████████████████ ▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓  │
        │                                                                              │
        │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ ·····································  │
        │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ ·····································  │
        │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ ·····································  │
        │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ ·····································  │
        │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ ·····································  │
        │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ ·····································  │
        │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ ·····································  │
        │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ ·····································  │
        │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ ·····································  │
        │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ ·····································  │
        │ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ ·····································  │
        │                                                                              │
        │                                                                              │
        ╭─ block [1, 1] of random · 1 task · arrows move, Esc closes ──────────────────╮
        │ operation              state     worker    start     took                    │
        │ random                 running   w1        0.3s      running                 │
        ╰──────────────────────────────────────────────────────────────────────────────╯
        """
        let frame = session.frame(width: 120, height: 40)
        #expect(try Self.panel(frame, titled: "random · 3×2 blocks") == expected.components(separatedBy: "\n"))
        // The block clicked in reverse video, its neighbour not.
        #expect(frame[50, 12].style.reverse && !frame[10, 12].style.reverse)
    }

    @Test func gridsOf4And100And10000Blocks() {
        let small = Fixtures.render(Fixtures.model(rows: 2, columns: 2), width: 80, height: 24).lines
        #expect(small.contains { $0.hasPrefix("╭─ matmul · 2×2 blocks ─") })
        let large = Fixtures.render(Fixtures.model(rows: 100, columns: 100), width: 120, height: 40).lines
        #expect(large.contains { $0.hasPrefix("╭─ matmul · 100×100 blocks · 5×5 a cell ─") })
        let huge = Fixtures.render(Fixtures.model(rows: 100, columns: 100), width: 200, height: 60).lines
        #expect(huge.contains { $0.hasPrefix("╭─ matmul · 100×100 blocks · 3×3 a cell ─") })
        let crowded = Fixtures.render(Fixtures.model(rows: 100, columns: 100), width: 80, height: 24).lines
        #expect(crowded.contains { $0.hasPrefix("╭─ matmul · 100×100 blocks · ") })
    }

    @Test func aggregatedCellsShowTheFractionDone() {
        // 5×5 blocks a cell, two tasks a block, the first third of tasks done: row-major, so the
        // first cell row is full, the second partly done.
        let frame = Fixtures.render(Fixtures.model(rows: 100, columns: 100), width: 120, height: 40)
        let layout = DashboardLayout(width: 120, height: 40, cores: 2, workers: 2)!
        let first = layout.grid.inset(1)
        #expect(frame[first.x + 1, first.y].character == "█")
        let levels = Set(Glyphs.unicode.levels.dropFirst().dropLast())
        #expect((0..<20).contains { levels.contains(frame[first.x + 1 + $0, first.y + 6].character) })
    }

    /// More workers than usable CPUs is said in the header; as many is not.
    @Test(arguments: [(4, 2.0, true), (2, 2.0, false), (3, 2.5, false), (4, 2.5, true)])
    func theHeaderSaysWhenWorkersOversubscribeTheCPUs(workers: Int, capacity: Double, oversubscribed: Bool) {
        var run = Fixtures.run(rows: 2, columns: 2, workers: workers)
        run.capacity = capacity
        let header = Fixtures.render(DashboardModel(run: run), width: 120, height: 40).lines[1]
        #expect(header.contains("oversubscribed") == oversubscribed, "\(header)")
        if oversubscribed { #expect(header.contains("workers \(workers) on \(capacity == 2 ? "2" : "2.5") CPUs: oversubscribed")) }
    }

    @Test(arguments: [RunState.running, .paused, .done, .failed, .cancelled])
    func headerShowsTheState(state: RunState) {
        let model = Fixtures.model(state: state, failure: state == .failed ? "task ('matmul', 3, 4) threw" : nil)
        let lines = Fixtures.render(model, width: 120, height: 40).lines
        #expect(lines[0].contains(state.rawValue.uppercased()))
        if state == .failed {
            #expect(lines[1].contains("failed: task ('matmul', 3, 4) threw"))
            #expect(lines.joined().contains("✗"))
        }
        if state == .done || state == .cancelled || state == .failed {
            #expect(lines.joined().contains("took "))
        } else {
            #expect(lines.joined().contains("ETA "))
        }
    }

    @Test(arguments: [(79, 24), (80, 23), (40, 10), (20, 5)])
    func tooSmallTerminal(width: Int, height: Int) {
        let lines = Fixtures.render(Fixtures.model(), width: width, height: height).lines
        let message = "terminal too small: need 80×24"
        let row = lines.firstIndex { $0.contains(message.prefix(width - 1)) }
        #expect(row == max(0, height / 2 - 1))
        if width >= message.count {
            #expect(lines[row!].trimmingCharacters(in: .whitespaces) == message)
        }
    }

    @Test func helpOverlayListsTheKeys() {
        let text = Fixtures.render(Fixtures.model(), width: 80, height: 24, help: true).lines.joined(separator: "\n")
        for key in ["q  F10    quit", "space     pause / resume", "[  ]      halve / double the block size", "t         next theme",
                    "h  ?  F1  this help"] {
            #expect(text.contains(key))
        }
    }

    @Test func asciiFallbackUsesNoUnicode() {
        let frame = Fixtures.render(Fixtures.model(), width: 120, height: 40, glyphs: .ascii)
        #expect(frame.cells.allSatisfy { $0.character.isASCII })
        #expect(frame.lines[1].contains("array 10000x10000 | blocks 1000x1000"))
    }

    @Test func manyWorkersFoldIntoMore() {
        let lines = Fixtures.render(Fixtures.model(workers: 64), width: 80, height: 24).lines
        #expect(lines.contains { $0.contains("more workers") })
    }
}
