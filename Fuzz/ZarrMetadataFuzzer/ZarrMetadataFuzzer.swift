import ArrayFiles

/// libFuzzer entry point for the Zarr metadata parsers (`make fuzz`).
///
/// The input is a metadata file: `ZarrArrayMetadata.parseV3` reads it as a `zarr.json` and
/// `parseV2` as a `.zarray`, as `load('x.zarr')` does before any chunk is read. What a parser
/// accepts must be a grid blocktop can read: chunk shapes of the shape's rank with extents of at
/// least 1, inner chunks that divide the shard. A `ZarrMetadataError` is the expected answer to
/// bad input; a trap or crash is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzZarrMetadata(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard size <= 4096 else { return -1 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    check { () throws(ZarrMetadataError) in try ZarrArrayMetadata.parseV3(bytes) }
    check { () throws(ZarrMetadataError) in try ZarrArrayMetadata.parseV2(bytes) }
    return 0
}

/// Runs one parser; traps when what it accepts is not a grid blocktop can read.
private func check(_ parse: () throws(ZarrMetadataError) -> ZarrArrayMetadata) {
    do throws(ZarrMetadataError) {
        let metadata = try parse()
        if metadata.chunkShape.count != metadata.shape.count || metadata.chunkShape.contains(where: { $0 < 1 }) {
            fatalError("accepted a grid it cannot read: shape \(metadata.shape), chunks \(metadata.chunkShape)")
        }
        if case .sharded(let sharding) = metadata.codecs.layout,
           zip(metadata.chunkShape, sharding.innerChunkShape).contains(where: { $1 < 1 || $0 % $1 != 0 }) {
            fatalError("accepted inner chunks \(sharding.innerChunkShape) that do not divide shards \(metadata.chunkShape)")
        }
        _ = metadata.dtype.description
    } catch {
        _ = error.description
    }
}
