/// The scheduler's `/info/main/workers.html`: the scheduler's own address and, per worker, its
/// address, name, threads, memory limit and the HTTP port its `/metrics` is on.
package struct WorkersPage: Equatable {
    package struct Worker: Equatable {
        package var address: String
        package var name: String
        package var threads: Int
        package var memoryLimit: Int
        /// Where the worker's HTTP server is; nil when the page links none.
        package var httpHost: String?
        package var httpPort: Int?
    }

    /// `tcp://…` from the page's title; nil when the page has none.
    package var scheduler: String?
    package var workers: [Worker] = []

    package init(parsing html: String) {
        if let title = html.range(of: "Scheduler ") {
            let rest = html[title.upperBound...]
            let address = rest.prefix { !$0.isWhitespace && $0 != "<" }
            if address.contains("://") { scheduler = UntrustedText.clean(String(address)) }
        }
        for row in html.components(separatedBy: "<tr").dropFirst() where row.contains("href=\"../worker/") {
            let cells = row.components(separatedBy: "<td").dropFirst().map(Self.text)
            guard cells.count >= 4, let address = cells.first, address.contains("://") else { continue }
            let memoryLimit = Self.attribute("data-sort", in: row.components(separatedBy: "<td")[4]).flatMap { Int($0) } ?? 0
            var worker = Worker(address: UntrustedText.clean(address), name: UntrustedText.clean(cells[1]),
                                threads: UntrustedNumber.clamped(Int(cells[2]) ?? 1, to: UntrustedNumber.threadLimit),
                                memoryLimit: UntrustedNumber.clamped(memoryLimit, to: UntrustedNumber.byteLimit))
            if let proxy = row.range(of: "proxy/") {
                let parts = row[proxy.upperBound...].split(separator: "/", maxSplits: 2)
                if parts.count >= 2, let port = Int(parts[0]) {
                    worker.httpPort = port
                    worker.httpHost = UntrustedText.clean(String(parts[1]))
                }
            }
            workers.append(worker)
        }
    }

    /// A cell's text: what is outside tags, trimmed.
    private static func text(_ cell: String) -> String {
        var text = "", inTag = true
        for character in cell {
            if character == "<" { inTag = true } else if character == ">" { inTag = false } else if !inTag { text.append(character) }
        }
        return String(Substring(text).trimmingCharacters(in: " \n\t"))
    }

    /// The value of `name="…"` in `html`.
    private static func attribute(_ name: String, in html: String) -> String? {
        guard let start = html.range(of: name + "=\"") else { return nil }
        return String(html[start.upperBound...].prefix { $0 != "\"" })
    }
}
