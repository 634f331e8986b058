import ArrayFiles
import BlockArray
import Foundation
import Testing
import TestSupport

/// HDF5 files written by h5py (the tests' venv, at test time) read by blocktop, and files blocktop
/// writes read by h5py, compared bit for bit through float64 references NumPy writes.
@Suite struct HDF5H5pyTests {
    /// Every numeric dtype h5py writes, both byte orders; `?` is h5py's bool (an enum of int8).
    static let dtypes = ["?", "i1", "u1", "<i2", ">i2", "<u2", ">u2", "<i4", ">i4", "<u4", ">u4",
                         "<i8", ">i8", "<u8", ">u8", "<f2", ">f2", "<f4", ">f4", "<f8", ">f8"]

    /// Writes, for each case, a dataset `name` in `cases.h5` (contiguous, chunked, or chunked and
    /// gzip-compressed) and `<folder>/<flat name>.f8`: the same values as raw little-endian float64.
    static let writeScript = """
        import sys, h5py, numpy as np
        \(Python.sampleValuesFunction)
        folder = sys.argv[1]
        rng = np.random.default_rng(11)
        with h5py.File(f'{folder}/cases.h5', 'w') as f:
            for line in sys.argv[2:]:
                name, dtype, storage, shape, chunks = line.split(';')
                shape = tuple(int(s) for s in shape.split(',') if s)
                dt = np.dtype(dtype)
                n = int(np.prod(shape))
                values = sample_values(rng, dt, n)
                a = values.reshape(shape)
                options = {}
                if storage != 'contiguous':
                    options['chunks'] = tuple(int(s) for s in chunks.split(','))
                if storage == 'gzip':
                    options.update(compression='gzip', compression_opts=4, shuffle=True)
                f.create_dataset(name, data=a, dtype=dt, **options)
                np.ascontiguousarray(a, dtype='<f8').tofile(f'{folder}/{name.strip("/").replace("/", "-")}.f8')
        """

    struct Case: Sendable {
        let dtype: String, storage: String, shape: [Int], chunks: [Int]
        var name: String {
            let type = dtype.replacingOccurrences(of: "<", with: "le").replacingOccurrences(of: ">", with: "be").replacingOccurrences(of: "?", with: "bool")
            return "/\(storage)/\(type)/x\(shape.map(String.init).joined(separator: "x"))"
        }
        var flatName: String { name.dropFirst().replacingOccurrences(of: "/", with: "-") }
        var line: String {
            "\(name);\(dtype);\(storage);\(shape.map(String.init).joined(separator: ","));\(chunks.map(String.init).joined(separator: ","))"
        }
    }

    /// Each dtype contiguous and chunked (3×2 chunks over 7×5: the last chunk along each axis is
    /// partial), a few gzip-compressed, a 3-D one, a scalar and an empty one.
    static var cases: [Case] {
        var cases: [Case] = []
        for dtype in dtypes {
            cases.append(Case(dtype: dtype, storage: "contiguous", shape: [7, 5], chunks: []))
            cases.append(Case(dtype: dtype, storage: "chunked", shape: [7, 5], chunks: [3, 2]))
        }
        for dtype in ["<f8", ">i2", "u1", "?"] {
            cases.append(Case(dtype: dtype, storage: "gzip", shape: [13, 9], chunks: [4, 4]))
        }
        cases.append(Case(dtype: ">f4", storage: "chunked", shape: [4, 3, 5], chunks: [3, 3, 2]))
        cases.append(Case(dtype: "<f8", storage: "contiguous", shape: [], chunks: []))
        cases.append(Case(dtype: "<i2", storage: "contiguous", shape: [0, 4], chunks: []))
        return cases
    }

    /// The float64 values in `path`, bit patterns, as NumPy wrote them.
    func reference(_ path: String) throws -> [UInt64] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data.withUnsafeBytes { raw in (0..<(raw.count / 8)).map { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)) } }
    }

    @Test func h5pyDatasetsReadExactlyInEveryDtypeAndLayout() throws {
        let folder = try TemporaryFolder("h5-read")
        let cases = Self.cases
        try Python.run(Self.writeScript, [folder.path] + cases.map(\.line))
        for c in cases {
            let file = try HDF5File(path: folder.file("cases.h5"), dataset: c.name)
            #expect(file.shape == c.shape, "\(c.name)")
            let expectedType = try #require(NPYDTypeName.of(c.dtype))
            #expect(file.elementType == expectedType, "\(c.name)")
            switch c.storage {
            case "contiguous":
                #expect(file.layout == "contiguous", "\(c.name)")
                #expect(file.naturalChunks == nil, "\(c.name)")
            case "gzip":
                #expect(file.layout == "chunked \(c.chunks.map(String.init).joined(separator: "×")) (shuffle, deflate)", "\(c.name)")
                #expect(file.naturalChunks == c.chunks, "\(c.name)")
            default:
                #expect(file.layout == "chunked \(c.chunks.map(String.init).joined(separator: "×"))", "\(c.name)")
                #expect(file.naturalChunks == c.chunks, "\(c.name)")
            }
            let expected = try reference(folder.file(c.flatName + ".f8"))
            // The file's own chunks, blocks that straddle them, and one block for the whole array.
            for chunks in [file.naturalChunks.map { ChunkSpec.perAxis($0) } ?? .uniform(3), .uniform(2), .uniform(-1)] {
                let array = try BlockArray.load(file, chunks: chunks)
                let values = try array.compute().storage.map(\.bitPattern)
                #expect(values == expected, "\(c.name) in blocks of \(chunks)")
            }
        }
    }

    @Test func theOnlyDatasetOfAFileNeedsNoName() throws {
        let folder = try TemporaryFolder("h5-only")
        let path = folder.file("one.h5")
        try Python.run("import sys, h5py, numpy as np; h5py.File(sys.argv[1], 'w').create_dataset('deep/down/x', data=np.arange(12.0).reshape(3, 4))", [path])
        let file = try HDF5File(path: path, dataset: nil)
        #expect(file.dataset == "/deep/down/x")
        #expect(try BlockArray.load(file, chunks: .uniform(2)).compute().storage == (0..<12).map(Double.init))
    }

    /// What h5py reads from a file: the dataset's dtype, shape and chunks, and its values as float64.
    static let readScript = """
        import sys, h5py, numpy as np
        for spec in sys.argv[1:]:
            path, name = spec.split(':')
            with h5py.File(path, 'r') as f:
                d = f[name]
                np.ascontiguousarray(d[()], dtype='<f8').tofile(path + '.f8')
                print(d.dtype.str, d.shape, d.chunks, list(f.keys()))
        """

    @Test func blocktopFilesReadBackByH5pyExactly() throws {
        let folder = try TemporaryFolder("h5-write")
        // Values that every output type holds: whole numbers in int32's range, some negative.
        let source = try BlockArray.fromFunction([9, 11], chunks: .perAxis([4, 3]), name: "values") { index in
            Double((index[0] * 37 + index[1] * 101) % 1000 - 500) * 7.0
        }
        let fractional = source / 3
        let types: [(NPYDType, BlockArray, String)] = [(.float64, fractional, "/data"), (.float32, fractional, "/g/h/x"),
                                                       (.int32, source, "y"), (.int64, fractional, "/z")]
        var specs: [String] = []
        for (dtype, array, dataset) in types {
            let path = folder.file("out-\(dtype.name).h5")
            let writer = try HDF5Writer(path: path, dataset: dataset, shape: array.shape, chunks: [4, 3], dtype: dtype, replacing: false)
            let written = try array.saved(to: writer).compute()
            #expect(written.scalar == Double(array.count))
            try writer.commit()
            specs.append("\(path):\(dataset)")
        }
        let lines = try Python.run(Self.readScript, specs).split(separator: "\n")
        #expect(lines == ["<f8 (9, 11) (4, 3) ['data']", "<f4 (9, 11) (4, 3) ['g']", "<i4 (9, 11) (4, 3) ['y']", "<i8 (9, 11) (4, 3) ['z']"])
        for ((dtype, array, _), spec) in zip(types, specs) {
            let values = try array.compute().storage
            let expected: [Double] = switch dtype.name {
            case "float32": values.map { Double(Float($0)) }
            case "int32", "int64": values.map { $0.rounded(.towardZero) }
            default: values
            }
            #expect(try reference(String(spec.prefix { $0 != ":" }) + ".f8") == expected.map(\.bitPattern), "\(dtype)")
        }
    }

    @Test func scalarAndEmptyArraysWriteAsH5pyReadsThem() throws {
        let folder = try TemporaryFolder("h5-write-edge")
        let scalar = try BlockArray.ones([6, 4], chunks: 2).sum()
        let empty = try BlockArray.zeros([0, 3], chunks: 2)
        var specs: [String] = []
        for (name, array) in [("scalar", scalar), ("empty", empty)] {
            let path = folder.file(name + ".h5")
            let writer = try HDF5Writer(path: path, dataset: "/data", shape: array.shape, chunks: array.chunks.sizes.map { $0.max() ?? 0 },
                                        dtype: .float64, replacing: false)
            _ = try array.saved(to: writer).compute()
            try writer.commit()
            specs.append("\(path):/data")
        }
        let lines = try Python.run(Self.readScript, specs).split(separator: "\n")
        #expect(lines == ["<f8 () None ['data']", "<f8 (0, 3) (1, 2) ['data']"])
        #expect(try reference(folder.file("scalar.h5.f8")) == [Double(24).bitPattern])
    }
}

/// The name blocktop gives a NumPy dtype string (`>i2` is `int16 (big-endian)`), for expectations.
enum NPYDTypeName {
    static func of(_ dtype: String) -> String? {
        let names: [Character: String] = ["i": "int", "u": "uint", "f": "float"]
        guard dtype != "?" else { return "bool" }
        let order = dtype.first == ">" ? " (big-endian)" : ""
        let code = dtype.drop { $0 == "<" || $0 == ">" }
        guard let kind = code.first.flatMap({ names[$0] }), let bytes = Int(code.dropFirst()) else { return nil }
        return "\(kind)\(bytes * 8)" + (bytes > 1 ? order : "")
    }
}
