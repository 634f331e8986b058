/// What blocktop needs of a Zarr array's metadata (format 2 `.zarray` or format 3 `zarr.json`):
/// its shape, the chunk grid, how a chunk's file is named, how its bytes are encoded, and the
/// value of elements whose chunk is missing.
public struct ZarrArrayMetadata: Equatable, Sendable {
    /// 2 or 3.
    public let zarrFormat: Int
    public let shape: [Int]
    /// The extent of a stored chunk, the file each grid cell is (a whole shard when sharded).
    public let chunkShape: [Int]
    /// The element type as stored (with the byte order of the innermost chunks' bytes).
    public let dtype: NPYDType
    /// Missing chunks (and missing inner chunks of a shard) read as this.
    public let fillValue: Double
    public let chunkKeys: ZarrChunkKeyEncoding
    public let codecs: ZarrCodecPipeline

    /// Chunks along each axis (edge chunks are whole in the store; their part past the shape is dropped).
    var chunkCounts: [Int] {
        zip(shape, chunkShape).map { extent, chunk in (extent + chunk - 1) / chunk }
    }

    /// The largest number of elements a chunk (or a shard) may have.
    static let maximumChunkElements = 1 << 31
    /// Axes blocktop reads, as for `.npy`.
    static let maximumRank = 64
    /// The types blocktop reads, for messages.
    static let supportedTypes = "blocktop reads bool, int8–int64, uint8–uint64 and float16–float64"

    /// Checks what both formats share: a shape and a chunk shape of the same rank, positive chunk
    /// extents, and counts that do not overflow.
    static func checkGrid(shape: [Int], chunkShape: [Int]) throws(ZarrMetadataError) {
        guard shape.count <= maximumRank else { throw ZarrMetadataError("its shape has \(shape.count) axes; blocktop reads at most \(maximumRank)") }
        guard chunkShape.count == shape.count else {
            throw ZarrMetadataError("its chunk shape \(NPYHeader.describe(chunkShape)) does not have the \(shape.count) axes of its shape \(NPYHeader.describe(shape))")
        }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw ZarrMetadataError("its shape \(NPYHeader.describe(shape)) has a negative extent") }
        guard chunkShape.allSatisfy({ $0 > 0 }) else { throw ZarrMetadataError("its chunk shape \(NPYHeader.describe(chunkShape)) has an extent below 1") }
        guard NPYHeader.productWithoutOverflow(shape).map({ $0 <= Int.max / 8 }) == true else {
            throw ZarrMetadataError("its shape \(NPYHeader.describe(shape)) has more elements than an array can hold")
        }
        guard let chunkElements = NPYHeader.productWithoutOverflow(chunkShape), chunkElements <= maximumChunkElements else {
            throw ZarrMetadataError("its chunk shape \(NPYHeader.describe(chunkShape)) has more than \(maximumChunkElements) elements")
        }
    }
}

/// How a chunk's grid index names its file under the array's folder.
public enum ZarrChunkKeyEncoding: Equatable, Sendable {
    /// Format 3's default: `c/1/2` (or `c.1.2` with the `.` separator); `c` for a 0-d array.
    case prefixed(separator: Character)
    /// Format 2's: `1.2` (or `1/2`); `0` for a 0-d array.
    case bare(separator: Character)

    /// The key of the chunk at `index`.
    func key(_ index: [Int]) -> String {
        switch self {
        case .prefixed(let separator):
            return (["c"] + index.map(String.init)).joined(separator: String(separator))
        case .bare(let separator):
            return index.isEmpty ? "0" : index.map(String.init).joined(separator: String(separator))
        }
    }
}

/// What is wrong with a store's metadata, in words (without the store's name).
public struct ZarrMetadataError: Error, Equatable, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
