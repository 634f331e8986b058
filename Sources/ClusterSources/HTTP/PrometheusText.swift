/// Prometheus's text exposition format, as a Dask scheduler's or worker's `/metrics` serves it:
/// `name{label="value",…} value`, `#` comments. Lines that do not parse are left out.
public struct PrometheusText: Sendable {
    public struct Sample: Sendable, Equatable {
        public var name: String
        public var labels: [String: String]
        public var value: Double
    }

    public private(set) var samples: [Sample] = []

    public init(parsing text: String) {
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            if let sample = Self.sample(line) { samples.append(sample) }
        }
    }

    /// The samples called `name`.
    public func samples(named name: String) -> [Sample] {
        samples.filter { $0.name == name }
    }

    /// The value of the sample `name` whose labels include `labels`.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }?.value
    }

    private static func sample(_ line: Substring) -> Sample? {
        var rest = line[...]
        let nameEnd = rest.firstIndex { $0 == "{" || $0 == " " } ?? rest.endIndex
        let name = String(rest[..<nameEnd])
        guard !name.isEmpty else { return nil }
        rest = rest[nameEnd...]
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while let first = rest.first, first != "}" {
                guard let equals = rest.firstIndex(of: "=") else { return nil }
                let label = rest[..<equals].trimmingPrefix(while: { $0 == "," || $0 == " " })
                rest = rest[rest.index(after: equals)...]
                guard rest.first == "\"" else { return nil }
                rest = rest.dropFirst()
                var value = ""
                while let character = rest.first, character != "\"" {
                    rest = rest.dropFirst()
                    if character == "\\", let escaped = rest.first {
                        value.append(escaped == "n" ? "\n" : escaped)
                        rest = rest.dropFirst()
                    } else {
                        value.append(character)
                    }
                }
                guard !rest.isEmpty else { return nil }
                rest = rest.dropFirst()
                labels[String(label)] = value
                rest = rest.trimmingPrefix(while: { $0 == "," || $0 == " " })
            }
            guard rest.first == "}" else { return nil }
            rest = rest.dropFirst()
        }
        guard let text = rest.split(separator: " ").first, let value = Double(text) else { return nil }
        return Sample(name: name, labels: labels, value: value)
    }
}

extension Substring {
    fileprivate func trimmingPrefix(while predicate: (Character) -> Bool) -> Substring {
        self[(firstIndex { !predicate($0) } ?? endIndex)...]
    }
}
