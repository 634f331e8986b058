import BlockArray
import Glibc

/// A shard file open for reading its inner chunks: the index (where each inner chunk's bytes
/// are, as (offset, byte count) uint64 pairs in row-major order of the inner grid; both
/// 2^64 − 1 for a missing one), checked against the file's size and its CRC-32C.
struct ZarrShardIndex {
    private let descriptor: SharedDescriptor
    private let entries: [UInt64]
    private let innerCounts: [Int]
    private let fileSize: Int

    /// Opens the shard `key` and reads its index; nil when the shard is missing (all fill value).
    init?(store: ZarrStoreFolder, key: String, sharding: ZarrSharding, shardShape: [Int]) throws(ZarrCodecError) {
        let raw = open(store.folder + "/" + key, O_RDONLY | O_CLOEXEC)
        guard raw >= 0 else {
            if errno == ENOENT { return nil }
            throw ZarrCodecError("cannot open: \(systemReason(errno))")
        }
        descriptor = SharedDescriptor(raw)
        innerCounts = zip(shardShape, sharding.innerChunkShape).map { $0 / $1 }
        let count = innerCounts.reduce(1, *)
        let indexBytes = sharding.indexBytes(innerChunks: count)
        fileSize = descriptor.identity().size
        guard fileSize >= indexBytes else {
            throw ZarrCodecError("the shard has \(fileSize) bytes, fewer than its index of \(count) inner chunks needs (\(indexBytes)): truncated?")
        }
        var bytes = [UInt8](repeating: 0, count: indexBytes)
        try Self.read(descriptor, into: &bytes, at: sharding.indexAtEnd ? fileSize - indexBytes : 0)
        if sharding.indexChecksum {
            bytes = try bytes.withUnsafeBufferPointer { (raw) throws(ZarrCodecError) in
                do throws(ZarrCodecError) { return Array(try CRC32C.verify(UnsafeRawBufferPointer(raw))) } catch { throw ZarrCodecError("shard index: \(error.message)") }
            }
        }
        let swap = sharding.indexByteOrder != .native
        entries = bytes.withUnsafeBytes { raw in
            (0..<(2 * count)).map { let value = raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self); return swap ? value.byteSwapped : value }
        }
    }

    /// The bytes of the inner chunk at `index` of the shard's inner grid; nil when it is missing.
    func read(_ index: [Int]) throws(ZarrCodecError) -> [UInt8]? {
        let position = zip(index, rowMajorStrides(innerCounts)).reduce(0) { $0 + $1.0 * $1.1 }
        let offset = entries[2 * position], length = entries[2 * position + 1]
        if offset == .max && length == .max { return nil }
        guard offset <= UInt64(fileSize), length <= UInt64(fileSize) - offset else {
            throw ZarrCodecError("the shard index puts it at bytes \(offset)+\(length), past the shard's \(fileSize) bytes: truncated or corrupt")
        }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        try Self.read(descriptor, into: &bytes, at: Int(offset))
        return bytes
    }

    private static func read(_ descriptor: SharedDescriptor, into bytes: inout [UInt8], at offset: Int) throws(ZarrCodecError) {
        let count = bytes.count
        guard count > 0 else { return }
        switch bytes.withUnsafeMutableBytes({ descriptor.read(into: $0.baseAddress!, count: count, at: offset) }) {
        case .success(let got) where got == count: return
        case .success(let got): throw ZarrCodecError("the shard ends at byte \(offset + got), inside bytes \(offset)+\(count): truncated?")
        case .failure(let error): throw ZarrCodecError("cannot read the shard: \(systemReason(error.code))")
        }
    }
}
