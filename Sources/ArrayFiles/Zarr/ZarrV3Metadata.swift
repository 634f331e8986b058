import BlocktopSupport

/// Zarr format 3: an array's `zarr.json`.
///
/// `{"zarr_format": 3, "node_type": "array", "shape": [...], "data_type": "float64",
/// "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [...]}},
/// "chunk_key_encoding": {"name": "default" | "v2", "configuration": {"separator": "/" | "."}},
/// "fill_value": ..., "codecs": [...]}`. The codecs run in order when writing: array-to-array
/// (`transpose`), one array-to-bytes (`bytes` or `sharding_indexed`), then bytes-to-bytes
/// (`zstd`, `blosc`, `gzip`, `crc32c`).
extension ZarrArrayMetadata {
    /// The metadata in `bytes`, an array's `zarr.json`; throws saying what is wrong (a group's
    /// `zarr.json` included).
    public static func parseV3(_ bytes: [UInt8]) throws(ZarrMetadataError) -> ZarrArrayMetadata {
        guard let document = JSON.parse(bytes), case .object = document else { throw ZarrMetadataError("its zarr.json is not a JSON object") }
        guard document["zarr_format"]?.integer == 3 else {
            throw ZarrMetadataError("its zarr.json says zarr_format \(document["zarr_format"]?.brief ?? "(missing)"), not 3")
        }
        guard try document.text("node_type") == "array" else { throw ZarrMetadataError("its zarr.json is a \(document["node_type"]!.brief) node, not an array") }
        let shape = try document.extents("shape")
        guard let grid = document["chunk_grid"], try grid.text("name") == "regular" else {
            throw ZarrMetadataError("its chunk_grid \(document["chunk_grid"]?["name"]?.brief ?? "(missing)") is not one blocktop reads (regular)")
        }
        guard let gridSettings = grid["configuration"] else { throw ZarrMetadataError("its chunk_grid has no configuration") }
        let chunkShape = try gridSettings.extents("chunk_shape")
        try checkGrid(shape: shape, chunkShape: chunkShape)
        let dataType = try dataType(document["data_type"])
        if let transformers = document["storage_transformers"], transformers != .array([]) {
            throw ZarrMetadataError("its storage_transformers \(transformers.brief) are not supported")
        }
        guard let codecList = document["codecs"]?.array else { throw ZarrMetadataError("its codecs are \(document["codecs"]?.brief ?? "missing"), not a list") }
        let codecs = try pipeline(codecList, kind: dataType.kind, size: dataType.size, chunkShape: chunkShape, nested: false)
        var stored = codecs
        while case .sharded(let sharding) = stored.layout { stored = sharding.inner }
        guard case .elements(let dtype) = stored.layout else { preconditionFailure("a pipeline ends in elements") }
        return ZarrArrayMetadata(zarrFormat: 3, shape: shape, chunkShape: chunkShape, dtype: dtype,
                                 fillValue: try (document["fill_value"] ?? .null).fillValue(for: dtype),
                                 chunkKeys: try chunkKeyEncoding(document["chunk_key_encoding"]), codecs: codecs)
    }

    /// `data_type`: the numeric names (`bool`, `int8` … `uint64`, `float16` … `float64`), in the
    /// machine's byte order until the `bytes` codec says otherwise.
    private static func dataType(_ value: JSON?) throws(ZarrMetadataError) -> NPYDType {
        guard case .string(let name) = value else {
            throw ZarrMetadataError("its data_type \(value?.brief ?? "(missing)") is not supported; \(supportedTypes)")
        }
        let numeric: [String: (NPYDType.Kind, Int)] = [
            "bool": (.bool, 1), "int8": (.signed, 1), "int16": (.signed, 2), "int32": (.signed, 4), "int64": (.signed, 8),
            "uint8": (.unsigned, 1), "uint16": (.unsigned, 2), "uint32": (.unsigned, 4), "uint64": (.unsigned, 8),
            "float16": (.float, 2), "float32": (.float, 4), "float64": (.float, 8),
        ]
        if let (kind, size) = numeric[name] { return NPYDType(kind: kind, size: size)! }
        let what = name.hasPrefix("complex") ? "complex" : name == "string" || name == "bytes" ? "strings" : name.hasPrefix("r") ? "raw bits" : "unknown"
        throw ZarrMetadataError("data_type '\(HeaderDictionary.sanitize(name))' (\(what)) is not supported; \(supportedTypes)")
    }

    /// `chunk_key_encoding`: `default` (`c/1/2`) or `v2` (`1.2`), with its separator.
    private static func chunkKeyEncoding(_ value: JSON?) throws(ZarrMetadataError) -> ZarrChunkKeyEncoding {
        guard let value else { return .prefixed(separator: "/") }
        let name = try value.text("name")
        let separator = try value["configuration"]?.text("separator", required: false)
        guard separator == nil || separator == "/" || separator == "." else {
            throw ZarrMetadataError("its chunk key separator '\(HeaderDictionary.sanitize(separator!))' is not '/' or '.'")
        }
        switch name {
        case "default"?: return .prefixed(separator: separator?.first ?? "/")
        case "v2"?: return .bare(separator: separator?.first ?? ".")
        default: throw ZarrMetadataError("its chunk_key_encoding '\(HeaderDictionary.sanitize(name ?? ""))' is not default or v2")
        }
    }

    /// A list of codecs, in writing order, as a pipeline for elements of `kind` and `size` in
    /// chunks of `chunkShape`; `nested` inside a shard (where another shard is refused).
    private static func pipeline(_ list: [JSON], kind: NPYDType.Kind, size: Int, chunkShape: [Int], nested: Bool) throws(ZarrMetadataError) -> ZarrCodecPipeline {
        var order: [Int]?
        var layout: ZarrCodecPipeline.Layout?
        var compressors: [ZarrBytesCodec] = []
        for codec in list {
            let (name, settings) = try nameAndSettings(codec)
            switch name {
            case "transpose":
                guard layout == nil else { throw ZarrMetadataError("codec 'transpose' comes after the array became bytes") }
                let step = try settings.extents("order")
                guard step.sorted() == Array(0..<chunkShape.count) else {
                    throw ZarrMetadataError("transpose order \(NPYHeader.describe(step)) is not a permutation of the \(chunkShape.count) axes")
                }
                // Applied after `order`: stored axis i is axis step[i] of the array `order` made.
                order = step.map { order?[$0] ?? $0 }
            case "bytes":
                guard layout == nil else { throw ZarrMetadataError("a second array-to-bytes codec 'bytes'") }
                let byteOrder = try endian(settings)
                layout = .elements(NPYDType(kind: kind, size: size, byteOrder: byteOrder)!)
            case "sharding_indexed":
                guard layout == nil else { throw ZarrMetadataError("a second array-to-bytes codec 'sharding_indexed'") }
                guard !nested else { throw ZarrMetadataError("a shard inside a shard is not supported") }
                guard order == nil else { throw ZarrMetadataError("transpose before sharding_indexed is not supported") }
                layout = .sharded(try sharding(settings, kind: kind, size: size, shardShape: chunkShape))
            case "zstd", "blosc", "gzip", "crc32c":
                guard layout != nil else { throw ZarrMetadataError("codec '\(name)' comes before an array-to-bytes codec (bytes)") }
                if case .sharded = layout { throw ZarrMetadataError("codec '\(name)' over a whole shard is not supported") }
                compressors.append(name == "zstd" ? .zstd(level: settings["level"]?.integer ?? 0)
                                   : name == "blosc" ? .blosc : name == "gzip" ? .gzip : .crc32c)
            default:
                throw ZarrMetadataError("unknown codec '\(HeaderDictionary.sanitize(name))'; blocktop reads bytes, transpose, zstd, blosc, gzip, crc32c and sharding_indexed")
            }
        }
        guard let layout else { throw ZarrMetadataError("its codecs have no array-to-bytes codec (bytes or sharding_indexed)") }
        return ZarrCodecPipeline(order: order, layout: layout, compressors: compressors)
    }

    /// A codec's name and configuration: `{"name": "zstd", "configuration": {...}}`, or a bare name.
    private static func nameAndSettings(_ codec: JSON) throws(ZarrMetadataError) -> (String, JSON) {
        if case .string(let name) = codec { return (name, .object([])) }
        guard let name = codec["name"]?.string else { throw ZarrMetadataError("a codec \(codec.brief) has no name") }
        switch codec["configuration"] {
        case nil: return (name, .object([]))
        case let settings? where settings.isObject: return (name, settings)
        case let settings?: throw ZarrMetadataError("codec '\(HeaderDictionary.sanitize(name))' has configuration \(settings.brief), not an object")
        }
    }

    /// The `bytes` codec's `endian` (required by the spec for types wider than a byte; little when missing).
    private static func endian(_ settings: JSON) throws(ZarrMetadataError) -> NPYDType.ByteOrder {
        switch try settings.text("endian", required: false) {
        case nil, "little"?: return .little
        case "big"?: return .big
        case let other?: throw ZarrMetadataError("bytes endian '\(HeaderDictionary.sanitize(other))' is not little or big")
        }
    }

    /// `sharding_indexed`'s configuration: inner chunks that divide the shard, their codecs, and an
    /// index of `bytes` (little or big) optionally followed by `crc32c`, at the end or the start.
    private static func sharding(_ settings: JSON, kind: NPYDType.Kind, size: Int, shardShape: [Int]) throws(ZarrMetadataError) -> ZarrSharding {
        let inner = try settings.extents("chunk_shape")
        guard inner.count == shardShape.count, zip(inner, shardShape).allSatisfy({ $0 > 0 && $1 % $0 == 0 }) else {
            throw ZarrMetadataError("its inner chunk shape \(NPYHeader.describe(inner)) does not divide its shard shape \(NPYHeader.describe(shardShape))")
        }
        guard let codecs = settings["codecs"]?.array else { throw ZarrMetadataError("sharding_indexed has no codecs") }
        let indexCodecs = settings["index_codecs"]?.array ?? [.object([("name", .string("bytes")), ("configuration", .object([("endian", .string("little"))]))]),
                                                            .object([("name", .string("crc32c"))])]
        let index = try pipeline(indexCodecs, kind: .unsigned, size: 8, chunkShape: [1], nested: true)
        guard case .elements(let indexType) = index.layout, index.order == nil,
              index.compressors == [] || index.compressors == [.crc32c] else {
            throw ZarrMetadataError("sharding index codecs other than bytes and crc32c are not supported")
        }
        let location = try settings.text("index_location", required: false) ?? "end"
        guard location == "end" || location == "start" else {
            throw ZarrMetadataError("sharding index_location '\(HeaderDictionary.sanitize(location))' is not end or start")
        }
        return ZarrSharding(innerChunkShape: inner, inner: try pipeline(codecs, kind: kind, size: size, chunkShape: inner, nested: true),
                            indexByteOrder: indexType.byteOrder, indexChecksum: index.compressors == [.crc32c], indexAtEnd: location == "end")
    }
}

extension JSON {
    var isObject: Bool {
        if case .object = self { return true }
        return false
    }
}
