import BlocktopSupport

/// Zarr format 2: an array's `.zarray`.
///
/// `{"zarr_format": 2, "shape": [...], "chunks": [...], "dtype": "<f8", "compressor": {"id": "zstd", ...} | null,
/// "fill_value": 0 | "NaN" | null, "order": "C" | "F", "filters": [...] | null, "dimension_separator": "." | "/"}`.
/// The dtype is a NumPy type string with its byte order; the compressor and filters are
/// numcodecs configurations, of which blocktop reads `zstd`, `blosc`, `zlib` and `gzip`.
extension ZarrArrayMetadata {
    /// The metadata in `bytes`, a `.zarray` file; throws saying what is wrong.
    public static func parseV2(_ bytes: [UInt8]) throws(ZarrMetadataError) -> ZarrArrayMetadata {
        guard let document = JSON.parse(bytes), case .object = document else { throw ZarrMetadataError("its .zarray is not a JSON object") }
        guard document["zarr_format"]?.integer == 2 else {
            throw ZarrMetadataError("its .zarray says zarr_format \(document["zarr_format"]?.brief ?? "(missing)"), not 2")
        }
        let shape = try document.extents("shape")
        let chunkShape = try document.extents("chunks")
        try checkGrid(shape: shape, chunkShape: chunkShape)
        let dtype: NPYDType
        switch document["dtype"] {
        case .string(let descr):
            switch NPYDType.parse(descr) {
            case .success(let type): dtype = type
            case .failure(.unsupported(let what)): throw ZarrMetadataError("dtype '\(HeaderDictionary.sanitize(descr))' (\(what)) is not supported; \(supportedTypes)")
            case .failure(.unknown): throw ZarrMetadataError("dtype '\(HeaderDictionary.sanitize(descr))' is not a NumPy numeric type")
            }
        case .array: throw ZarrMetadataError("a structured dtype (records) is not supported; \(supportedTypes)")
        case let other: throw ZarrMetadataError("its dtype is \(other?.brief ?? "missing"), not a NumPy type string")
        }
        let order: [Int]?
        switch try document.text("order") {
        case "C"?: order = nil
        case "F"?: order = shape.count > 1 ? Array((0..<shape.count).reversed()) : nil
        case let other: throw ZarrMetadataError("its order is '\(HeaderDictionary.sanitize(other ?? ""))', not C or F")
        }
        let separator: Character
        switch try document.text("dimension_separator", required: false) {
        case nil, "."?: separator = "."
        case "/"?: separator = "/"
        case let other?: throw ZarrMetadataError("its dimension_separator is '\(HeaderDictionary.sanitize(other))', not '.' or '/'")
        }
        var stages: [JSON] = []
        switch document["filters"] {
        case nil, .null?: break
        case .array(let filters)?: stages = filters
        case let other?: throw ZarrMetadataError("its filters are \(other.brief), not a list or null")
        }
        switch document["compressor"] {
        case nil, .null?: break
        case let compressor?: stages.append(compressor)
        }
        var compressors: [ZarrBytesCodec] = []
        for stage in stages { compressors.append(try numcodec(stage)) }
        return ZarrArrayMetadata(zarrFormat: 2, shape: shape, chunkShape: chunkShape, dtype: dtype,
                                 fillValue: try (document["fill_value"] ?? .null).fillValue(for: dtype),
                                 chunkKeys: .bare(separator: separator),
                                 codecs: ZarrCodecPipeline(order: order, layout: .elements(dtype), compressors: compressors))
    }

    /// A numcodecs configuration, `{"id": "zstd", "level": 1}`, as a byte stage.
    private static func numcodec(_ configuration: JSON) throws(ZarrMetadataError) -> ZarrBytesCodec {
        guard let id = configuration["id"]?.string else { throw ZarrMetadataError("a codec \(configuration.brief) has no 'id'") }
        switch id {
        case "zstd": return .zstd(level: configuration["level"]?.integer ?? 0)
        case "blosc": return .blosc
        case "zlib": return .zlib
        case "gzip": return .gzip
        default: throw ZarrMetadataError("unknown codec '\(HeaderDictionary.sanitize(id))'; blocktop reads zstd, blosc, zlib and gzip")
        }
    }
}
