import ArrayFiles
import BlockArray
import Foundation
import Testing
import TestSupport

/// Stores that are not what they say: each one error naming the store (and the chunk, when a
/// task finds it), made by hand so that every lie is exact.
@Suite struct ZarrBadInputTests {
    /// A store folder `name` with `files` (path under the store → contents).
    func store(_ folder: TemporaryFolder, _ name: String, _ files: [String: [UInt8]]) throws -> String {
        let path = folder.file(name)
        for (file, bytes) in files {
            let url = URL(fileURLWithPath: path + "/" + file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A `zarr.json` for a float64 array of `shape` in chunks of `chunks` with `codecs` (JSON text).
    func v3(shape: [Int] = [4, 4], chunks: [Int] = [2, 2], dataType: String = "\"float64\"", codecs: String = #"[{"name": "bytes", "configuration": {"endian": "little"}}]"#) -> [UInt8] {
        Array("""
            {"zarr_format": 3, "node_type": "array", "shape": \(shape), "data_type": \(dataType),
             "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": \(chunks)}},
             "chunk_key_encoding": {"name": "default", "configuration": {"separator": "/"}},
             "fill_value": 0.0, "codecs": \(codecs)}
            """.utf8)
    }

    /// A `.zarray` for an array of `shape` in chunks of `chunks`.
    func v2(shape: [Int] = [4, 4], chunks: [Int] = [2, 2], dtype: String = "\"<f8\"", compressor: String = "null") -> [UInt8] {
        Array("""
            {"zarr_format": 2, "shape": \(shape), "chunks": \(chunks), "dtype": \(dtype), "compressor": \(compressor),
             "fill_value": 0, "order": "C", "filters": null}
            """.utf8)
    }

    func openError(_ path: String) -> String? {
        do {
            _ = try ZarrArray(path: path)
            return nil
        } catch {
            return error.description
        }
    }

    /// The error of summing the array at `path` in its own chunks, found by the task that reads the chunk.
    func readError(_ path: String) throws -> String? {
        let array = try BlockArray.load(try ZarrArray(path: path), chunks: .perAxis(try ZarrArray(path: path).naturalChunks!))
        do {
            _ = try array.sum().compute(using: SerialExecutor())
            return nil
        } catch let failure as TaskFailure {
            return (failure.underlying as? ArrayFileError)?.description
        }
    }

    @Test func foldersThatAreNotArraysAreNamed() throws {
        let folder = try TemporaryFolder("zarr-bad")
        let empty = try store(folder, "empty.zarr", [:])
        let group = try store(folder, "group.zarr", ["zarr.json": Array(#"{"zarr_format": 3, "node_type": "group"}"#.utf8), "a/zarr.json": v3()])
        let groupV2 = try store(folder, "group2.zarr", [".zgroup": Array(#"{"zarr_format": 2}"#.utf8), "b/.zarray": v2()])
        let file = folder.file("file.zarr")
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: file))
        #expect(openError(folder.file("missing.zarr")) == "'\(folder.file("missing.zarr"))': cannot open: No such file or directory")
        #expect(openError(empty) == "'\(empty)': is not a Zarr store: it has no zarr.json (format 3) or .zarray (format 2)")
        #expect(openError(file) == "'\(file)': is not a folder: a Zarr store is a folder (with zarr.json or .zarray)")
        #expect(openError(group) == "'\(group)': is a Zarr group, not an array: name an array in it, as '\(group)/name' (it holds a)")
        #expect(openError(groupV2) == "'\(groupV2)': is a Zarr group, not an array: name an array in it, as '\(groupV2)/name' (it holds b)")
        #expect(try ZarrArray(path: group + "/a").shape == [4, 4])
    }

    @Test func metadataBlocktopCannotReadIsRefusedNamingWhat() throws {
        let folder = try TemporaryFolder("zarr-bad")
        let types = "blocktop reads bool, int8–int64, uint8–uint64 and float16–float64"
        let cases: [(String, [UInt8], String)] = [
            ("zarr.json", Array("{not json".utf8), "its zarr.json is not a JSON object"),
            ("zarr.json", v3(codecs: #"[{"name": "bytes"}, {"name": "lz4"}]"#),
             "unknown codec 'lz4'; blocktop reads bytes, transpose, zstd, blosc, gzip, crc32c and sharding_indexed"),
            ("zarr.json", v3(codecs: #"[{"name": "zstd"}]"#), "codec 'zstd' comes before an array-to-bytes codec (bytes)"),
            ("zarr.json", v3(codecs: "[]"), "its codecs have no array-to-bytes codec (bytes or sharding_indexed)"),
            ("zarr.json", v3(dataType: "\"complex128\""), "data_type 'complex128' (complex) is not supported; \(types)"),
            ("zarr.json", v3(dataType: "\"string\""), "data_type 'string' (strings) is not supported; \(types)"),
            ("zarr.json", v3(shape: [4, 4], chunks: [2]), "its chunk shape (2,) does not have the 2 axes of its shape (4, 4)"),
            ("zarr.json", v3(chunks: [0, 2]), "its chunk shape (0, 2) has an extent below 1"),
            ("zarr.json", v3(shape: [-1, 4]), "its shape (-1, 4) has a negative extent"),
            ("zarr.json", v3(shape: [1 << 40, 1 << 40]), "its shape (1099511627776, 1099511627776) has more elements than an array can hold"),
            ("zarr.json", v3(codecs: #"[{"name": "sharding_indexed", "configuration": {"chunk_shape": [3, 2], "codecs": [{"name": "bytes"}]}}]"#),
             "its inner chunk shape (3, 2) does not divide its shard shape (2, 2)"),
            (".zarray", v2(dtype: "\"<c8\""), "dtype '<c8' (complex) is not supported; \(types)"),
            (".zarray", v2(dtype: "\"<U4\""), "dtype '<U4' (strings) is not supported; \(types)"),
            (".zarray", v2(dtype: #"[["a", "<f8"]]"#), "a structured dtype (records) is not supported; \(types)"),
            (".zarray", v2(compressor: #"{"id": "lzma"}"#), "unknown codec 'lzma'; blocktop reads zstd, blosc, zlib and gzip"),
        ]
        for (index, (file, metadata, message)) in cases.enumerated() {
            let path = try store(folder, "case\(index).zarr", [file: metadata])
            #expect(openError(path) == "'\(path)': \(message)")
        }
    }

    @Test func chunksThatLieAreFoundByTheTaskThatReadsThemNamingTheChunk() throws {
        let folder = try TemporaryFolder("zarr-bad")
        let zstd = #"[{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "zstd", "configuration": {"level": 0}}]"#
        let gzip = #"[{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "gzip", "configuration": {"level": 1}}]"#
        let crc = #"[{"name": "bytes", "configuration": {"endian": "little"}}, {"name": "crc32c"}]"#
        let plain = [UInt8](repeating: 0, count: 32)
        // zstd frames of 31 and 33 zero bytes (the chunk needs 32), and a gzip stream of 32 cut short, as numcodecs writes them.
        let encoded = try Python.run("""
            import numcodecs
            print(numcodecs.Zstd().encode(bytes(31)).hex()); print(numcodecs.Zstd().encode(bytes(33)).hex())
            print(numcodecs.GZip().encode(bytes(32))[:-6].hex())
            """).split(separator: "\n").map { line in
            stride(from: 0, to: line.count, by: 2).map { UInt8(line.dropFirst($0).prefix(2), radix: 16)! }
        }
        let (frame31, frame33, gzipCut) = (encoded[0], encoded[1], encoded[2])
        let cases: [(String, [String: [UInt8]], String)] = [
            ("short.zarr", ["zarr.json": v3(), "c/0/1": Array(plain.prefix(31))], "block [0, 1]: chunk 'c/0/1': it decodes to 31 bytes, but its metadata needs 32"),
            ("long.zarr", ["zarr.json": v3(), "c/1/0": plain + [0]], "block [1, 0]: chunk 'c/1/0': it decodes to 33 bytes, but its metadata needs 32"),
            ("zstd-short.zarr", ["zarr.json": v3(codecs: zstd), "c/0/0": frame31], "block [0, 0]: chunk 'c/0/0': it decodes to 31 bytes, but its metadata needs 32"),
            ("zstd-long.zarr", ["zarr.json": v3(codecs: zstd), "c/0/0": frame33], "block [0, 0]: chunk 'c/0/0': it decodes to 33 bytes, but its metadata needs 32"),
            ("zstd-garbage.zarr", ["zarr.json": v3(codecs: zstd), "c/1/1": [1, 2, 3, 4, 5]], "block [1, 1]: chunk 'c/1/1': not a zstd frame (or a truncated one)"),
            ("gzip-cut.zarr", ["zarr.json": v3(codecs: gzip), "c/0/0": gzipCut],
             "block [0, 0]: chunk 'c/0/0': gzip: the stream ends early (truncated?)"),
            ("gzip-garbage.zarr", ["zarr.json": v3(codecs: gzip), "c/0/0": [9, 9, 9, 9]], "block [0, 0]: chunk 'c/0/0': gzip: the stream is corrupt"),
            ("crc.zarr", ["zarr.json": v3(codecs: crc), "c/0/0": plain + [1, 2, 3, 4]],
             "block [0, 0]: chunk 'c/0/0': crc32c: the checksum is 0x4030201, but the data's is 0x8a9136aa (corrupt)"),
            ("blosc.zarr", [".zarray": v2(compressor: #"{"id": "blosc"}"#), "1.1": [2, 1, 0x33, 8, 32, 0, 0, 0]],
             "block [1, 1]: chunk '1.1': not a blosc buffer (or a truncated one)"),
        ]
        for (name, files, message) in cases {
            let path = try store(folder, name, files)
            #expect(try readError(path) == "'\(path)': \(message)", "\(name)")
        }
    }

    @Test func shardsCutShortOrWithACorruptIndexAreFoundNamingTheShard() throws {
        let folder = try TemporaryFolder("zarr-bad-shard")
        let cut = folder.file("cut.zarr"), hole = folder.file("hole.zarr"), flipped = folder.file("flipped.zarr"), gzipLong = folder.file("gzip-long.zarr")
        // Shards of 4×4 in inner chunks of 2×2, the index (4 entries and a CRC-32C, 68 bytes) at the end;
        // a shard cut inside its first inner chunk, one cut but keeping its index (which then points
        // past its end), one with a byte of its index changed, and a gzip chunk that decodes to more
        // bytes than its shape needs.
        try Python.run("""
            import sys, numpy as np, zarr, numcodecs
            from zarr.codecs import ShardingCodec, BytesCodec, GzipCodec
            cut, hole, flipped, gzip_long = sys.argv[1:]
            for path in (cut, hole, flipped):
                z = zarr.create_array(path, shape=(8, 8), chunks=(4, 4), dtype='f8', compressors=None,
                                      serializer=ShardingCodec(chunk_shape=(2, 2), codecs=[BytesCodec()]))
                z[...] = np.arange(64.0).reshape(8, 8)
            data = open(cut + '/c/1/0', 'rb').read(); open(cut + '/c/1/0', 'wb').write(data[:20])
            data = open(hole + '/c/1/0', 'rb').read(); open(hole + '/c/1/0', 'wb').write(data[:20] + data[-68:])
            data = bytearray(open(flipped + '/c/0/1', 'rb').read()); data[-10] ^= 1; open(flipped + '/c/0/1', 'wb').write(bytes(data))
            z = zarr.create_array(gzip_long, shape=(2,), chunks=(2,), dtype='f8', compressors=GzipCodec())
            z[...] = 1
            open(gzip_long + '/c/0', 'wb').write(numcodecs.GZip().encode(bytes(24)))
            """, [cut, hole, flipped, gzipLong])
        #expect(try readError(cut) == "'\(cut)': block [1, 0]: chunk 'c/1/0': the shard has 20 bytes, fewer than its index of 4 inner chunks needs (68): truncated?")
        #expect(try readError(hole) == "'\(hole)': block [1, 0]: chunk 'c/1/0': inner chunk [0, 1]: the shard index puts it at bytes 64+32, past the shard's 88 bytes: truncated or corrupt")
        #expect(try readError(flipped)?.hasPrefix("'\(flipped)': block [0, 1]: chunk 'c/0/1': shard index: crc32c: the checksum is ") == true)
        #expect(try readError(gzipLong) == "'\(gzipLong)': block [0]: chunk 'c/0': it decodes to more than the 16 bytes its metadata needs")
    }
}
