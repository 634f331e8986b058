import BlockArray

/// Arrays read from and written to files.
extension BlockArray {
    /// The array in `file`, its blocks read by the tasks that need them and converted to float64.
    /// A read that fails (the file truncated since it was opened, a corrupt chunk) fails its
    /// task, naming the file and the block.
    public static func load(_ file: any ArrayReader, chunks: ChunkSpec) throws -> BlockArray {
        try reading("load", identity: file.identity, shape: file.shape, chunks: chunks) { block, buffer in
            do throws(ArrayFileError) {
                try file.readBlock(offset: block.offset, shape: block.shape, into: buffer)
            } catch {
                throw ArrayFileError(path: error.path, "block \(block.index): \(error.message)")
            }
        }
    }

    /// Writes this array's blocks to `writer` as the run goes, each by a task of its own (in
    /// parallel, at its offset), rechunked first when the format stores blocks of one shape; the
    /// array returned is the number of elements written, a scalar. Commit the writer once the
    /// run is done, abandon it otherwise.
    public func saved(to writer: any ArrayWriter) throws -> BlockArray {
        precondition(writer.shape == shape, "the writer's shape \(writer.shape) is not the array's \(shape)")
        var source = self
        if let required = writer.requiredChunks, chunks.sizes != (try Chunks(shape: shape, spec: .perAxis(required))).sizes {
            source = try rechunk(.perAxis(required))
        }
        return try source.storing("save", identity: [writer.path, writer.elementType, "\(ObjectIdentifier(writer).hashValue)"]) { block, info in
            do throws(ArrayFileError) {
                try writer.write(block, at: info.offset)
            } catch {
                throw ArrayFileError(path: error.path, "block \(info.index): \(error.message)")
            }
        }.sum()
    }
}
