import ArrayFiles
import BlockArray
import Foundation
import Testing
import TestSupport

/// Zarr stores written by zarr-python (the tests' venv, at test time) read by blocktop, and
/// stores blocktop writes read by zarr-python, compared bit for bit through float64 references.
@Suite struct ZarrPythonTests {
    /// Writes each case (a JSON object per argument) as `<name>.zarr`, and `<name>.f8`: the array
    /// as zarr-python itself reads it back, as raw little-endian float64.
    static let writeScript = """
        import sys, json, numpy as np, zarr, numcodecs
        \(Python.sampleValuesFunction)
        from zarr.codecs import BytesCodec, ZstdCodec, BloscCodec, GzipCodec, TransposeCodec, Crc32cCodec, ShardingCodec
        folder = sys.argv[1]
        rng = np.random.default_rng(11)
        for line in sys.argv[2:]:
            c = json.loads(line)
            shape, chunks, dt = tuple(c['shape']), tuple(c['chunks']), np.dtype(c['dtype'])
            n = int(np.prod(shape))
            values = sample_values(rng, dt, n)
            a = values.reshape(shape)
            store = f"{folder}/{c['name']}.zarr"
            path = store + '/sub/arr' if c.get('group') else store
            if c.get('group'):
                zarr.open_group(store, mode='w').create_group('sub')
            fill = float('nan') if c.get('fill') == 'nan' else c.get('fill', 0)
            codec = c.get('codec', 'zstd')
            if c['format'] == 2:
                compressor = {'zstd': numcodecs.Zstd(level=1), 'blosc': numcodecs.Blosc(cname='lz4', clevel=5, shuffle=numcodecs.Blosc.SHUFFLE),
                              'zlib': numcodecs.Zlib(level=4), 'gzip': numcodecs.GZip(level=5), 'none': None}[codec]
                z = zarr.create_array(path, shape=shape, chunks=chunks, dtype=dt, zarr_format=2, compressors=compressor,
                                      filters=[numcodecs.Zlib(level=1)] if c.get('filters') else None, order=c.get('order', 'C'),
                                      fill_value=fill, chunk_key_encoding={'name': 'v2', 'separator': c.get('separator', '.')})
            else:
                compressors = {'zstd': [ZstdCodec(level=2)], 'zstd-checksum': [ZstdCodec(level=1, checksum=True)],
                               'blosc': [BloscCodec(cname='zstd', clevel=3, shuffle='bitshuffle')],
                               'gzip': [GzipCodec(level=6)], 'crc32c': [ZstdCodec(), Crc32cCodec()], 'none': []}[codec]
                filters = [TransposeCodec(order=c['transpose'])] if 'transpose' in c else []
                serializer = BytesCodec(endian=c.get('endian', 'little'))
                keys = {'name': 'v2', 'separator': '.'} if c.get('v2keys') else {'name': 'default', 'separator': c.get('separator', '/')}
                if 'inner' in c:
                    sharding = ShardingCodec(chunk_shape=tuple(c['inner']), codecs=[serializer] + compressors,
                                             index_location=c.get('index', 'end'))
                    z = zarr.create_array(path, shape=shape, chunks=chunks, dtype=dt, serializer=sharding, compressors=None,
                                          filters=None, fill_value=fill, chunk_key_encoding=keys)
                else:
                    z = zarr.create_array(path, shape=shape, chunks=chunks, dtype=dt, serializer=serializer, compressors=compressors,
                                          filters=filters, fill_value=fill, chunk_key_encoding=keys)
            z[...] = a
            if c.get('missing'):
                # Chunks of only the fill value are not stored (zarr-python's write_empty_chunks=False).
                z[tuple(slice(0, m) for m in c['missing'])] = fill
            np.ascontiguousarray(z[...], dtype='<f8').tofile(f"{folder}/{c['name']}.f8")
        """

    struct Case: Sendable, CustomStringConvertible {
        let name: String, format: Int, dtype: String, shape: [Int], chunks: [Int]
        var options: [String: String] = [:]

        var description: String { name }

        var json: String {
            var fields = ["\"name\": \"\(name)\"", "\"format\": \(format)", "\"dtype\": \"\(dtype)\"", "\"shape\": \(shape)", "\"chunks\": \(chunks)"]
            fields += options.sorted(by: { $0.key < $1.key }).map { "\"\($0.key)\": \($0.value)" }
            return "{" + fields.joined(separator: ", ") + "}"
        }
    }

    static let cases: [Case] = [
        Case(name: "v3-f8-zstd", format: 3, dtype: "<f8", shape: [7, 5], chunks: [3, 2]),
        Case(name: "v3-f8-zstd-checksum", format: 3, dtype: "<f8", shape: [7, 5], chunks: [3, 2], options: ["codec": "\"zstd-checksum\""]),
        Case(name: "v3-f4-blosc", format: 3, dtype: "<f4", shape: [9, 4], chunks: [4, 4], options: ["codec": "\"blosc\""]),
        Case(name: "v3-i2-gzip", format: 3, dtype: "<i2", shape: [6, 7], chunks: [4, 3], options: ["codec": "\"gzip\""]),
        Case(name: "v3-u1-bytes", format: 3, dtype: "|u1", shape: [5, 5], chunks: [2, 5], options: ["codec": "\"none\""]),
        Case(name: "v3-bool", format: 3, dtype: "|b1", shape: [11], chunks: [4]),
        Case(name: "v3-i4-big-endian", format: 3, dtype: "<i4", shape: [5, 6], chunks: [2, 4], options: ["endian": "\"big\""]),
        Case(name: "v3-f8-big-endian-crc32c", format: 3, dtype: "<f8", shape: [5, 6], chunks: [3, 3], options: ["endian": "\"big\"", "codec": "\"crc32c\""]),
        Case(name: "v3-f8-transpose", format: 3, dtype: "<f8", shape: [4, 5, 6], chunks: [3, 2, 4], options: ["transpose": "[2, 0, 1]"]),
        Case(name: "v3-u8-3d", format: 3, dtype: "<u8", shape: [3, 4, 5], chunks: [2, 3, 2]),
        Case(name: "v3-f8-missing-nan", format: 3, dtype: "<f8", shape: [8, 6], chunks: [3, 3], options: ["missing": "[6, 3]", "fill": "\"nan\"", "absent": "\"c/1/0\""]),
        Case(name: "v3-i8-missing-fill", format: 3, dtype: "<i8", shape: [8, 6], chunks: [3, 3], options: ["missing": "[3, 6]", "fill": "-7", "absent": "\"c/0/1\""]),
        Case(name: "v3-v2-keys", format: 3, dtype: "<f4", shape: [5, 5], chunks: [2, 2], options: ["v2keys": "true"]),
        Case(name: "v3-dot-separator", format: 3, dtype: "<f8", shape: [5, 5], chunks: [2, 2], options: ["separator": "\".\""]),
        Case(name: "v3-sharded-blosc", format: 3, dtype: "<u2", shape: [10, 9], chunks: [4, 6], options: ["inner": "[2, 3]", "codec": "\"blosc\""]),
        Case(name: "v3-sharded-start", format: 3, dtype: "<f8", shape: [10, 9], chunks: [4, 6], options: ["inner": "[2, 2]", "index": "\"start\""]),
        Case(name: "v3-sharded-missing", format: 3, dtype: "<f8", shape: [8, 8], chunks: [4, 8], options: ["inner": "[2, 4]", "missing": "[6, 4]", "fill": "1.5"]),
        Case(name: "v3-group", format: 3, dtype: "<f8", shape: [4, 4], chunks: [2, 3], options: ["group": "true"]),
        Case(name: "v3-scalar", format: 3, dtype: "<f8", shape: [], chunks: []),
        Case(name: "v2-f8-zstd", format: 2, dtype: "<f8", shape: [7, 5], chunks: [3, 2]),
        Case(name: "v2-i4-big-F-blosc", format: 2, dtype: ">i4", shape: [7, 5], chunks: [3, 4], options: ["order": "\"F\"", "codec": "\"blosc\""]),
        Case(name: "v2-f4-F-3d", format: 2, dtype: "<f4", shape: [4, 3, 5], chunks: [3, 2, 2], options: ["order": "\"F\""]),
        Case(name: "v2-u2-zlib", format: 2, dtype: "<u2", shape: [9, 4], chunks: [4, 4], options: ["codec": "\"zlib\""]),
        Case(name: "v2-f2-gzip", format: 2, dtype: "<f2", shape: [9, 4], chunks: [5, 3], options: ["codec": "\"gzip\""]),
        Case(name: "v2-i1-none", format: 2, dtype: "|i1", shape: [6, 6], chunks: [4, 4], options: ["codec": "\"none\""]),
        Case(name: "v2-slash-separator", format: 2, dtype: "<f8", shape: [6, 6], chunks: [4, 4], options: ["separator": "\"/\""]),
        Case(name: "v2-filters", format: 2, dtype: "<f8", shape: [6, 6], chunks: [4, 4], options: ["filters": "true"]),
        Case(name: "v2-missing-nan", format: 2, dtype: "<f8", shape: [8, 6], chunks: [3, 3], options: ["missing": "[3, 6]", "fill": "\"nan\"", "absent": "\"0.1\""]),
        Case(name: "v2-group", format: 2, dtype: "<i8", shape: [4, 4], chunks: [2, 3], options: ["group": "true"]),
    ]

    @Test func zarrPythonStoresReadExactlyForEveryCodecAndLayout() throws {
        let folder = try TemporaryFolder("zarr-read")
        try Python.run(Self.writeScript, [folder.path] + Self.cases.map(\.json))
        for c in Self.cases {
            let path = folder.file(c.name + ".zarr") + (c.options["group"] != nil ? "/sub/arr" : "")
            let store = try ZarrArray(path: path)
            #expect(store.shape == c.shape, "\(c)")
            #expect(store.metadata.zarrFormat == c.format, "\(c)")
            #expect(store.naturalChunks == c.chunks, "\(c)")
            if let absent = c.options["absent"] {
                // The chunk is really missing, so the fill value is what blocktop read for it.
                #expect(!FileManager.default.fileExists(atPath: path + "/" + absent.trimmingCharacters(in: ["\""])), "\(c)")
            }
            let expected = try reference(folder.file(c.name + ".f8"))
            // One block per chunk (the default), blocks across chunks, and one block for the whole array.
            for chunks in [ChunkSpec.perAxis(c.chunks), .uniform(2), .uniform(-1)] {
                let values = try BlockArray.load(store, chunks: chunks).compute().storage.map(\.bitPattern)
                #expect(values == expected, "\(c) in blocks of \(chunks)")
            }
        }
    }

    /// The float64 values in `path`, bit patterns.
    func reference(_ path: String) throws -> [UInt64] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data.withUnsafeBytes { raw in (0..<(raw.count / 8)).map { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)) } }
    }

    /// What zarr-python reads from each store: its format, dtype, chunks and codecs, and values as float64.
    static let readScript = """
        import sys, numpy as np, zarr
        for path in sys.argv[1:]:
            z = zarr.open_array(path, mode='r')
            np.ascontiguousarray(z[...], dtype='<f8').tofile(path + '.f8')
            codecs = [type(c).__name__ for c in z.compressors]
            print(z.metadata.zarr_format, z.dtype, z.shape, z.chunks, codecs)
        """

    @Test func blocktopStoresReadBackByZarrPythonExactly() throws {
        let folder = try TemporaryFolder("zarr-write")
        // Values that every output type holds: whole numbers in int32's range, some negative; blocks
        // that do not divide the shape, so the edge chunks are padded.
        let source = try BlockArray.fromFunction([9, 11], chunks: .perAxis([4, 3]), name: "values") { index in
            Double((index[0] * 37 + index[1] * 101) % 1000 - 500) * 7.0
        }
        let fractional = source / 3
        let types: [(NPYDType, BlockArray)] = [(.float64, fractional), (.float32, fractional), (.int32, source), (.int64, fractional)]
        var paths: [String] = []
        var expectations: [(BlockArray, NPYDType, String)] = []
        for format in [3, 2] {
            for (dtype, array) in types {
                let path = folder.file("out-v\(format)-\(dtype.name).zarr")
                let writer = try ZarrWriter(path: path, shape: array.shape, chunkShape: [4, 3], dtype: dtype, zarrFormat: format, replacing: false)
                let written = try array.saved(to: writer).compute(using: SerialExecutor())
                #expect(written.scalar == Double(array.count))
                try writer.commit()
                paths.append(path)
                expectations.append((array, dtype, path))
            }
        }
        let lines = try Python.run(Self.readScript, paths).split(separator: "\n")
        #expect(lines == [
            "3 float64 (9, 11) (4, 3) ['ZstdCodec']", "3 float32 (9, 11) (4, 3) ['ZstdCodec']",
            "3 int32 (9, 11) (4, 3) ['ZstdCodec']", "3 int64 (9, 11) (4, 3) ['ZstdCodec']",
            "2 float64 (9, 11) (4, 3) ['Zstd']", "2 float32 (9, 11) (4, 3) ['Zstd']",
            "2 int32 (9, 11) (4, 3) ['Zstd']", "2 int64 (9, 11) (4, 3) ['Zstd']",
        ])
        for (array, dtype, path) in expectations {
            let values = try array.compute().storage
            let expected: [Double] = switch dtype.name {
            case "float32": values.map { Double(Float($0)) }
            case "int32", "int64": values.map { $0.rounded(.towardZero) }
            default: values
            }
            #expect(try reference(path + ".f8") == expected.map(\.bitPattern), "\(path)")
            // And blocktop reads its own store back the same.
            let again = try BlockArray.load(try ZarrArray(path: path), chunks: .uniform(5)).compute().storage
            #expect(again.map(\.bitPattern) == expected.map(\.bitPattern), "\(path) read back by blocktop")
        }
    }

    @Test func aFailedWriteLeavesNothingAndAnExistingStoreIsReplacedOnlyWithForce() throws {
        let folder = try TemporaryFolder("zarr-write-fail")
        let path = folder.file("out.zarr")
        let nan = try BlockArray.zeros([4, 4], chunks: 2) / 0
        let writer = try ZarrWriter(path: path, shape: [4, 4], chunkShape: [2, 2], dtype: .int32, zarrFormat: 3, replacing: false)
        #expect(throws: (any Error).self) { try nan.saved(to: writer).compute(using: SerialExecutor()) }
        writer.abandon()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [])
        // A task still running after the run was abandoned cannot bring the folder back.
        #expect(throws: ArrayFileError(path: path, "chunk 'c/1/1': the store is no longer being written (the run ended)")) {
            try writer.write(DenseArray(shape: [2, 2], repeating: 1), at: [2, 2])
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [])
        // A store is written; a second without replacing is refused; with it, the new one replaces it whole.
        let first = try ZarrWriter(path: path, shape: [4, 4], chunkShape: [2, 2], dtype: .float64, zarrFormat: 2, replacing: false)
        _ = try BlockArray.ones([4, 4], chunks: 2).saved(to: first).compute()
        try first.commit()
        #expect(throws: ArrayFileError(path: path, "exists; give --force to replace it")) {
            try ZarrWriter(path: path, shape: [4, 4], chunkShape: [2, 2], dtype: .float64, zarrFormat: 3, replacing: false)
        }
        let second = try ZarrWriter(path: path, shape: [3], chunkShape: [2], dtype: .float64, zarrFormat: 3, replacing: true)
        _ = try BlockArray.full([3], 2, chunks: 2).saved(to: second).compute()
        try second.commit()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.zarr"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: path).sorted() == ["c", "zarr.json"])
        #expect(try BlockArray.load(try ZarrArray(path: path), chunks: .uniform(-1)).compute().storage == [2, 2, 2])
        // A folder that appears at the target during the run is not replaced (it is no store, and
        // this writer was not told to replace one): the commit fails and leaves it.
        let late = folder.file("late.zarr")
        let third = try ZarrWriter(path: late, shape: [3], chunkShape: [2], dtype: .float64, zarrFormat: 3, replacing: false)
        _ = try BlockArray.ones([3], chunks: 2).saved(to: third).compute()
        try FileManager.default.createDirectory(atPath: late, withIntermediateDirectories: false)
        #expect(throws: ArrayFileError(path: late, "exists; give --force to replace it")) { try third.commit() }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["late.zarr", "out.zarr"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: late) == [])
    }
}
