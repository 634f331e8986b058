import BlockArray

/// Arrays read from and written to files.
extension BlockArray {
    /// The array in the `.npy` file `file`, its blocks read by the tasks that need them and
    /// converted to float64 (see `NPYFile`). A read that fails (the file truncated since it was
    /// opened) fails its task, naming the file and the block.
    public static func load(npy file: NPYFile, chunks: ChunkSpec) throws -> BlockArray {
        try reading("load", identity: file.identity, shape: file.header.shape, chunks: chunks) { block, buffer in
            do throws(ArrayFileError) {
                try file.readBlock(offset: block.offset, shape: block.shape, into: buffer)
            } catch {
                throw ArrayFileError(path: error.path, "block \(block.index): \(error.message)")
            }
        }
    }

    /// Writes this array's blocks to `writer` as the run goes, each by a task of its own (in
    /// parallel, at its offset); the array returned is the number of elements written, a scalar.
    /// Commit the writer once the run is done, abandon it otherwise.
    public func saved(to writer: NPYWriter) throws -> BlockArray {
        precondition(writer.shape == shape, "the writer's shape \(writer.shape) is not the array's \(shape)")
        return try storing("save", identity: [writer.path, writer.dtype.descr, "\(ObjectIdentifier(writer).hashValue)"]) { block, info in
            do throws(ArrayFileError) {
                try writer.write(block, at: info.offset)
            } catch {
                throw ArrayFileError(path: error.path, "block \(info.index): \(error.message)")
            }
        }.sum()
    }
}
