import Foundation

/// Where themes are found, in order: `--themes-dir`, $XDG_CONFIG_HOME/blocktop/themes
/// (default ~/.config/blocktop/themes), the themes/ folder shipped with blocktop, and btop's
/// theme folders. A name found in several folders is taken from the first.
public struct ThemeCatalog: Sendable {
    /// The folders searched, in order (some may not exist).
    public let folders: [String]

    public init(folders: [String]) {
        self.folders = folders
    }

    /// The standard search order, after `themesDirectory` when given.
    public static func standard(themesDirectory: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) -> ThemeCatalog {
        var folders: [String] = []
        if let themesDirectory { folders.append(themesDirectory) }
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty {
            folders.append(config + "/blocktop/themes")
        } else if let home = environment["HOME"], !home.isEmpty {
            folders.append(home + "/.config/blocktop/themes")
        }
        folders += shippedFolders()
        folders += ["/usr/share/btop/themes", "/usr/local/share/btop/themes"]
        if let home = environment["HOME"], !home.isEmpty { folders.append(home + "/.config/btop/themes") }
        return ThemeCatalog(folders: folders)
    }

    /// The standard catalog and its theme `name` (a name in its folders or a .theme file); a
    /// missing or broken theme is an error, since the user asked for it.
    public static func loadAsked(_ name: String, themesDirectory: String?) throws(ThemeError) -> (catalog: ThemeCatalog, theme: Theme) {
        let catalog = standard(themesDirectory: themesDirectory)
        let (theme, warning) = try catalog.load(name)
        if let warning { throw warning }
        return (catalog, theme)
    }

    /// The themes/ folder next to an installed binary (../share/blocktop/themes) and in the
    /// source tree blocktop was built from.
    static func shippedFolders() -> [String] {
        var folders: [String] = []
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            folders.append(executable.deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("share/blocktop/themes").path)
        }
        // #filePath is Sources/Themes/ThemeCatalog.swift in the checkout.
        let sourceRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        folders.append(sourceRoot.appendingPathComponent("themes").path)
        return folders
    }

    /// Every theme name available, "default" first, then by folder order and name.
    public var names: [String] {
        var names = ["default"]
        for folder in folders {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for file in files.sorted() where file.hasSuffix(".theme") {
                let name = String(file.dropLast(".theme".count))
                if !names.contains(name) { names.append(name) }
            }
        }
        return names
    }

    /// The path of theme `name` (a name, or a path to a .theme file); nil for the built-in default.
    public func path(of name: String) throws(ThemeError) -> String? {
        if name.contains("/") || name.hasSuffix(".theme") {
            guard FileManager.default.fileExists(atPath: name) else { throw .notFound(name: name, searched: []) }
            return name
        }
        for folder in folders {
            let candidate = folder + "/" + name + ".theme"
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        if name == "default" { return nil }
        throw .notFound(name: name, searched: folders)
    }

    /// Loads theme `name`. A missing theme throws; a broken file gives the default theme and
    /// the error, for the caller to show as one warning line.
    public func load(_ name: String) throws(ThemeError) -> (theme: Theme, warning: ThemeError?) {
        guard let path = try path(of: name) else { return (.standard, nil) }
        do {
            return (try Self.load(file: path, name: name), nil)
        } catch {
            return (.standard, error)
        }
    }

    /// Reads and resolves the theme file at `path`.
    public static func load(file path: String, name: String) throws(ThemeError) -> Theme {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw .unreadable(file: path, reason: "no such file")
        }
        guard !isFolder.boolValue else { throw .unreadable(file: path, reason: "it is a folder") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(file: path, reason: "permission denied or not a regular file")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .unreadable(file: path, reason: "not UTF-8 text") }
        return Theme(name: name, file: try ThemeFile(parsing: text, file: path))
    }
}
