/// CRC-32C (Castagnoli), the checksum of Zarr 3's `crc32c` codec: four little-endian bytes after
/// the data they cover (sharding writes one after each shard's index).
enum CRC32C {
    /// The reflected polynomial 0x1EDC6F41.
    private static let table: [UInt32] = (0..<256).map { byte in
        var crc = UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        return crc
    }

    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    /// The data before the checksum (part of `input`), once the checksum is found to match it.
    static func verify(_ input: UnsafeRawBufferPointer) throws(ZarrCodecError) -> UnsafeRawBufferPointer {
        guard input.count >= 4 else { throw ZarrCodecError("crc32c: \(input.count) bytes, too short to hold a checksum") }
        let data = UnsafeRawBufferPointer(rebasing: input[..<(input.count - 4)])
        let stored = UInt32(littleEndian: input.loadUnaligned(fromByteOffset: input.count - 4, as: UInt32.self))
        let computed = checksum(data)
        guard stored == computed else {
            throw ZarrCodecError("crc32c: the checksum is \(hex(stored)), but the data's is \(hex(computed)) (corrupt)")
        }
        return data
    }

    private static func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }
}
