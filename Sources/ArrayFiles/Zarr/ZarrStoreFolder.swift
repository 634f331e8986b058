import BlocktopSupport
import Glibc

/// The folder of a Zarr array in a directory store (`store.zarr`, or `store.zarr/group/array`):
/// its metadata, read and parsed, and reads of the files under it.
struct ZarrStoreFolder: Sendable {
    /// The folder, as the user named it, without trailing slashes.
    let folder: String
    let metadata: ZarrArrayMetadata
    /// The metadata file's size and modification time, for task keys.
    let metadataStamp: String

    /// The largest metadata file read (a `zarr.json` with big attributes is still far below).
    static let maximumMetadataBytes = 16 << 20

    /// Finds and parses the array's metadata in `path` (`zarr.json`, else `.zarray`); throws
    /// naming what is wrong: no such folder, not a folder, a group (naming its arrays), no
    /// metadata, or metadata blocktop does not read.
    init(path: String) throws(ArrayFileError) {
        var folder = Substring(path)
        while folder.count > 1 && folder.hasSuffix("/") { folder = folder.dropLast() }
        self.folder = String(folder)
        var info = stat()
        guard stat(self.folder, &info) == 0 else { throw ArrayFileError(path: path, "cannot open: \(systemReason(errno))") }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw ArrayFileError(path: path, "is not a folder: a Zarr store is a folder (with zarr.json or .zarray)") }
        let parse: ([UInt8]) throws(ZarrMetadataError) -> ZarrArrayMetadata
        let name: String
        if Self.exists(self.folder + "/zarr.json") {
            (name, parse) = ("zarr.json", ZarrArrayMetadata.parseV3)
        } else if Self.exists(self.folder + "/.zarray") {
            (name, parse) = (".zarray", ZarrArrayMetadata.parseV2)
        } else if Self.exists(self.folder + "/.zgroup") {
            throw ArrayFileError(path: path, Self.groupMessage(self.folder))
        } else {
            throw ArrayFileError(path: path, "is not a Zarr store: it has no zarr.json (format 3) or .zarray (format 2)")
        }
        let bytes: [UInt8]
        do throws(ZarrCodecError) {
            guard let read = try Self.readFile(self.folder + "/" + name, limit: Self.maximumMetadataBytes) else {
                throw ZarrCodecError("cannot open: \(systemReason(ENOENT))")
            }
            bytes = read.bytes
            metadataStamp = read.stamp
        } catch {
            throw ArrayFileError(path: path, "\(name): \(error.message)")
        }
        do throws(ZarrMetadataError) {
            metadata = try parse(bytes)
        } catch {
            if name == "zarr.json", JSON.parse(bytes)?["node_type"] == .string("group") {
                throw ArrayFileError(path: path, Self.groupMessage(self.folder))
            }
            throw ArrayFileError(path: path, error.description)
        }
    }

    /// The bytes of the file `key` names under the folder, or nil when there is none (a missing
    /// chunk); throws when it cannot be read or is larger than any chunk can be.
    func read(_ key: String) throws(ZarrCodecError) -> [UInt8]? {
        try Self.readFile(folder + "/" + key, limit: ZarrArrayMetadata.maximumChunkElements * 8 + (1 << 20))?.bytes
    }

    /// The file at `path` whole, and its size and modification time; nil when it does not exist.
    static func readFile(_ path: String, limit: Int) throws(ZarrCodecError) -> (bytes: [UInt8], stamp: String)? {
        let raw = open(path, O_RDONLY | O_CLOEXEC)
        guard raw >= 0 else {
            if errno == ENOENT { return nil }
            throw ZarrCodecError("cannot open: \(systemReason(errno))")
        }
        let descriptor = SharedDescriptor(raw)
        let (size, modified) = descriptor.identity()
        guard size <= limit else { throw ZarrCodecError("the file has \(size) bytes, more than the \(limit) blocktop reads of one") }
        guard size > 0 else { return ([], "0 \(modified)") }
        // Not zero-filled first: every byte is read, or the read fails.
        var result = Result<Int, Errno>.success(0)
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            result = descriptor.read(into: buffer.baseAddress!, count: size, at: 0)
            initialized = (try? result.get()) ?? 0
        }
        switch result {
        case .success(let got) where got == size: return (bytes, "\(size) \(modified)")
        case .success(let got): throw ZarrCodecError("the file shrank to \(got) bytes while it was read")
        case .failure(let error): throw ZarrCodecError("cannot read: \(systemReason(error.code))")
        }
    }

    private static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// What to say of a group: that an array must be named, and which it holds.
    private static func groupMessage(_ folder: String) -> String {
        var arrays: [String] = []
        if let directory = opendir(folder) {
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                guard !name.hasPrefix(".") else { continue }
                if exists("\(folder)/\(name)/zarr.json") || exists("\(folder)/\(name)/.zarray") || exists("\(folder)/\(name)/.zgroup") { arrays.append(name) }
            }
        }
        let members = arrays.isEmpty ? "it holds no arrays" : "it holds \(arrays.sorted().prefix(8).joined(separator: ", "))\(arrays.count > 8 ? " …" : "")"
        return "is a Zarr group, not an array: name an array in it, as '\(folder)/name' (\(members))"
    }
}
