/// The colours every widget draws with, resolved from a theme file and the default theme.
///
/// Keys the file lacks come from the default theme, except blocktop's own keys (block
/// states, core-bar shares, workers), which a btop theme does not have: those are derived
/// from the file's btop colours so that the blocks match the rest of the screen.
public struct Theme: Sendable, Equatable {
    public var name: String
    /// `main_bg`; nil: the terminal's own background.
    public var background: RGB?
    public var text, title, highlight, inactive, graphText, meterBackground, divider: RGB
    /// Box outlines: cores (`cpu_box`), progress and memory (`mem_box`), workers (`net_box`), blocks (`proc_box`).
    public var cpuBox, memoryBox, workerBox, blockBox: RGB
    /// Core load (`cpu_*`), memory in use (`used_*`), process CPU (`process_*`).
    public var cpu, memory, process: Gradient
    public var blockWaiting, blockReady, blockDone, blockFailed: RGB
    /// A core bar's two shares: blocktop's process (`cpu_own`) and other processes (`cpu_others`).
    public var cpuOwn, cpuOthers: RGB
    /// `worker_0`…`worker_7`, used in turn.
    public var workers: [RGB]
    /// Operation colours for the task stream and the operations panel, used in turn: the distinct
    /// ends of the theme's gradients (cpu, used, download, upload, process, free, cached, temp).
    public var operations: [RGB]
    /// Text colours on the background (`textBackground`), and on the header bar and help
    /// overlay (`meterBackground`): each at least `minimumContrast` against it.
    public let ink, barInk: TextColors
    /// What text is measured against: `main_bg`, or when the theme leaves it to the terminal,
    /// black under a light `main_fg` and white under a dark one.
    public let textBackground: RGB

    /// The WCAG 2 contrast ratio every text cell reaches against its background.
    public static let minimumContrast = 3.0

    /// The built-in dark theme, identical to themes/default.theme.
    public static let standard: Theme = {
        do {
            return try Theme(name: "default", file: ThemeFile(parsing: defaultThemeText, file: "default.theme"), base: nil)
        } catch {
            preconditionFailure("the built-in theme does not parse: \(error)")
        }
    }()

    /// The theme `file` describes, with what it lacks from `base` (the standard theme when nil).
    public init(name: String, file: ThemeFile) {
        self.init(name: name, file: file, base: Theme.defaultFile)
    }

    /// The colour of worker `id`.
    public func worker(_ id: Int) -> RGB {
        workers[((id % workers.count) + workers.count) % workers.count]
    }

    /// The colour of operation `index`.
    public func operation(_ index: Int) -> RGB {
        operations[((index % operations.count) + operations.count) % operations.count]
    }

    static let defaultFile: ThemeFile = {
        do {
            return try ThemeFile(parsing: defaultThemeText, file: "default.theme")
        } catch {
            preconditionFailure("the built-in theme does not parse: \(error)")
        }
    }()

    private init(name: String, file: ThemeFile, base: ThemeFile?) {
        let base = base ?? file
        let colors = file.colors
        func own(_ key: String) -> RGB? { colors[key] ?? nil }
        func color(_ key: String) -> RGB {
            if let value = own(key) { return value }
            guard let fallback = base.colors[key] ?? nil else { preconditionFailure("default theme lacks \(key)") }
            return fallback
        }
        func gradient(_ prefix: String, or fallback: String? = nil) -> Gradient {
            for source in [file, base] {
                for name in [prefix] + (fallback.map { [$0] } ?? []) {
                    if let start = source.colors[name + "_start"] ?? nil {
                        return Gradient(start: start, mid: source.colors[name + "_mid"] ?? nil,
                                        end: source.colors[name + "_end"] ?? nil)
                    }
                }
            }
            preconditionFailure("default theme lacks \(prefix)_start")
        }
        /// A blocktop key: the file's own, else one derived from its btop keys, else the default's.
        func derived(_ key: String, from btopKeys: [String]) -> RGB {
            own(key) ?? btopKeys.lazy.compactMap(own).first ?? color(key)
        }

        self.name = name
        if let entry = colors["main_bg"] {
            background = entry
        } else {
            background = base.colors["main_bg"] ?? nil
        }
        text = color("main_fg")
        title = color("title")
        highlight = color("hi_fg")
        inactive = color("inactive_fg")
        graphText = own("graph_text") ?? own("inactive_fg") ?? color("graph_text")
        meterBackground = own("meter_bg") ?? own("div_line") ?? color("meter_bg")
        divider = color("div_line")
        cpuBox = color("cpu_box")
        memoryBox = color("mem_box")
        workerBox = color("net_box")
        blockBox = color("proc_box")
        cpu = gradient("cpu")
        memory = gradient("used")
        process = gradient("process", or: "cpu")
        blockWaiting = derived("block_waiting", from: ["inactive_fg"])
        blockReady = derived("block_ready", from: ["graph_text", "main_fg"])
        blockDone = derived("block_done", from: ["proc_misc"])
        blockFailed = color("block_failed")
        cpuOwn = derived("cpu_own", from: ["cpu_mid", "cpu_start"])
        cpuOthers = derived("cpu_others", from: ["cpu_end", "temp_end"])
        let ownWorkers = (0..<8).compactMap { own("worker_\($0)") }
        if !ownWorkers.isEmpty {
            workers = ownWorkers
        } else {
            var distinct: [RGB] = []
            let candidates = ["hi_fg", "cpu_start", "used_start", "download_start", "upload_start",
                              "process_start", "free_start", "cached_start", "temp_start", "title"]
            for color in candidates.compactMap(own) where !distinct.contains(color) && color != background {
                distinct.append(color)
            }
            workers = distinct.count >= 2 ? distinct : (0..<8).map { color("worker_\($0)") }
        }
        var gradientEnds: [RGB] = []
        for prefix in ["cpu", "used", "download", "upload", "process", "free", "cached", "temp"] {
            for end in ["_start", "_end"] {
                guard let color = own(prefix + end) ?? base.colors[prefix + end] ?? nil else { continue }
                if color != background && !gradientEnds.contains(color) { gradientEnds.append(color) }
            }
        }
        operations = gradientEnds.count >= 4 ? gradientEnds : workers
        textBackground = background ?? (text.relativeLuminance > RGB(grey: 128).relativeLuminance ? RGB(grey: 0) : RGB(grey: 255))
        let own = TextColors(text: text, title: title, highlight: highlight, inactive: inactive, label: graphText,
                             done: blockDone, waiting: blockWaiting, failed: blockFailed, load: cpu, workers: workers,
                             operations: operations)
        ink = own.readable(on: textBackground)
        barInk = own.readable(on: meterBackground)
    }
}
