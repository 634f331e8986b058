import CHDF5

/// The dataspaces through which one block is read or written: the dataset's, with the block's
/// hyperslab selected, and one of the block's shape for the memory it comes from or goes to.
enum HDF5BlockSpaces {
    /// Calls `body` with the file space of `dataset` with the block at `offset` of `shape` selected,
    /// and a memory space of `shape` (for a scalar dataset, its whole space for both), closed after.
    /// Call inside `HDF5.serialized`.
    static func with<T>(_ dataset: hid_t, offset: [Int], shape: [Int],
                        _ body: (_ file: hid_t, _ memory: hid_t) throws(HDF5Error) -> T) throws(HDF5Error) -> T {
        guard !shape.isEmpty else { return try body(bt_h5_s_all(), bt_h5_s_all()) }
        let start = offset.map { hsize_t($0) }, count = shape.map { hsize_t($0) }
        let fileSpace = try HDF5.check(H5Dget_space(dataset), "cannot read the dataset's shape")
        defer { H5Sclose(fileSpace) }
        try HDF5.check(H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, start, nil, count, nil), "cannot select the block")
        let memorySpace = try HDF5.check(H5Screate_simple(Int32(shape.count), count, nil), "cannot describe the block")
        defer { H5Sclose(memorySpace) }
        return try body(fileSpace, memorySpace)
    }
}
