import BlockArray

/// A Zarr array (format 2 or 3, a directory store) open for reading blocks.
///
/// A block is read chunk by chunk: each chunk file it overlaps (each inner chunk, in a shard) is
/// read, decoded and its part inside the block copied; a missing chunk is the fill value. The
/// default block is one chunk (one shard), decoded straight into the block when it lies whole
/// inside the array.
public final class ZarrArray: ArrayReader {
    /// The store as the user named it (for messages).
    public let path: String
    private let store: ZarrStoreFolder
    public let identity: [String]

    /// Opens the array at `path` (`store.zarr` or `store.zarr/group/array`) and reads its
    /// metadata; throws naming the store and what is wrong with it.
    public init(path: String) throws(ArrayFileError) {
        self.path = path
        store = try ZarrStoreFolder(path: path)
        identity = [store.folder, store.metadataStamp]
    }

    public var metadata: ZarrArrayMetadata { store.metadata }
    public var shape: [Int] { metadata.shape }
    public var elementType: String { metadata.dtype.description }
    public var layout: String {
        let order = metadata.codecs.order.map { $0 == Array((0..<$0.count).reversed()) ? "Fortran" : "transposed" } ?? "C"
        return "Zarr \(metadata.zarrFormat), \(order)"
    }
    /// One chunk (one shard when sharded).
    public var naturalChunks: [Int]? { metadata.chunkShape }

    /// Reads the block at `offset` of `shape` into `destination` as float64, row-major; throws
    /// naming the store and the chunk that is truncated, corrupt or not what the metadata says.
    public func readBlock(offset: [Int], shape: [Int], into destination: UnsafeMutableBufferPointer<Double>) throws(ArrayFileError) {
        precondition(destination.count >= elementCount(shape) && offset.count == metadata.shape.count && shape.count == offset.count)
        guard elementCount(shape) > 0 else { return }
        let block = Box(origin: offset, extent: shape)
        let target = Target(base: destination.baseAddress!, box: block)
        try forEachCell(of: metadata.chunkShape, meeting: block) { (index, cell) throws(ArrayFileError) in
            let key = metadata.chunkKeys.key(index)
            do throws(ZarrCodecError) {
                switch metadata.codecs.layout {
                case .elements:
                    try copy(store.read(key), pipeline: metadata.codecs, cell: cell, into: target)
                case .sharded(let sharding):
                    try readShard(key, sharding: sharding, shard: cell, into: target)
                }
            } catch {
                throw ArrayFileError(path: path, "chunk '\(key)': \(error.message)")
            }
        }
    }

    /// Reads the inner chunks of the shard `key` (the cell `shard` of the grid) that meet `target`.
    private func readShard(_ key: String, sharding: ZarrSharding, shard: Box, into target: Target) throws(ZarrCodecError) {
        guard let index = try ZarrShardIndex(store: store, key: key, sharding: sharding, shardShape: metadata.chunkShape) else {
            fill(shard.intersection(target.box), into: target)
            return
        }
        try forEachCell(of: sharding.innerChunkShape, meeting: shard.intersection(target.box)) { (global, cell) throws(ZarrCodecError) in
            let inner = zip(global, zip(shard.origin, sharding.innerChunkShape)).map { $0 - $1.0 / $1.1 }
            do throws(ZarrCodecError) {
                try copy(index.read(inner), pipeline: sharding.inner, cell: cell, into: target)
            } catch {
                throw ZarrCodecError("inner chunk \(inner): \(error.message)")
            }
        }
    }

    /// Decodes `bytes`, the chunk of the grid cell `cell` (nil: missing, the fill value), and
    /// copies its part inside the target (so inside the array) into the target.
    private func copy(_ bytes: [UInt8]?, pipeline: ZarrCodecPipeline, cell: Box, into target: Target) throws(ZarrCodecError) {
        let part = cell.intersection(target.box)
        guard let bytes else {
            fill(part, into: target)
            return
        }
        if part == cell && part == target.box {
            try pipeline.decode(bytes, shape: cell.extent, into: target.base)
            return
        }
        let decoded = UnsafeMutablePointer<Double>.allocate(capacity: elementCount(cell.extent))
        defer { decoded.deallocate() }
        try pipeline.decode(bytes, shape: cell.extent, into: decoded)
        let strides = rowMajorStrides(cell.extent)
        let start = zip(zip(part.origin, cell.origin), strides).reduce(0) { $0 + ($1.0.0 - $1.0.1) * $1.1 }
        stridedCopy(extent: part.extent, from: decoded + start, strides: strides, to: target.address(of: part.origin), strides: target.strides)
    }

    /// Sets the part `part` of the target to the fill value.
    private func fill(_ part: Box, into target: Target) {
        var value = metadata.fillValue
        stridedCopy(extent: part.extent, from: &value, strides: part.extent.map { _ in 0 }, to: target.address(of: part.origin), strides: target.strides)
    }
}

/// A box of elements: where it starts and its extent along each axis.
struct Box: Equatable {
    let origin: [Int]
    let extent: [Int]

    /// The elements in both boxes (an extent of 0 where they do not meet).
    func intersection(_ other: Box) -> Box {
        let start = zip(origin, other.origin).map { max($0, $1) }
        let end = zip(zip(origin, extent), zip(other.origin, other.extent)).map { min($0.0 + $0.1, $1.0 + $1.1) }
        return Box(origin: start, extent: zip(start, end).map { max($1 - $0, 0) })
    }
}

/// The block being read: where its elements go, row-major.
private struct Target {
    let base: UnsafeMutablePointer<Double>
    let box: Box
    var strides: [Int] { rowMajorStrides(box.extent) }

    /// Where the element at the array index `index` goes.
    func address(of index: [Int]) -> UnsafeMutablePointer<Double> {
        base + zip(zip(index, box.origin), strides).reduce(0) { $0 + ($1.0.0 - $1.0.1) * $1.1 }
    }
}

/// Calls `body` with the grid index and the box of each cell of a grid of `cellShape` (from the
/// array's origin) that meets `box`, in row-major order of the grid.
private func forEachCell<E: Error>(of cellShape: [Int], meeting box: Box, _ body: ([Int], Box) throws(E) -> Void) throws(E) {
    guard !box.extent.contains(0) else { return }
    let first = zip(box.origin, cellShape).map { $0 / $1 }
    let last = zip(zip(box.origin, box.extent), cellShape).map { ($0.0 + $0.1 - 1) / $1 }
    let counts = zip(first, last).map { $1 - $0 + 1 }
    var step = [Int](repeating: 0, count: counts.count)
    repeat {
        let index = zip(first, step).map { $0 + $1 }
        try body(index, Box(origin: zip(index, cellShape).map { $0 * $1 }, extent: cellShape))
    } while advanceRowMajor(&step, within: counts)
}
