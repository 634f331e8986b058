/// Blocks for a file stored in one piece (a `.npy` file, a contiguous HDF5 dataset): slabs that
/// are contiguous in the file, of at most `targetElements` (whole trailing axes in C order,
/// whole leading axes in Fortran order), so that each block is one read. The default target,
/// 2^20 float64 elements (8 MiB), keeps a block below glibc's largest mmap threshold (32 MiB),
/// so a freed block's memory is reused by the next instead of being mapped, faulted and zeroed anew.
public func contiguousSlabs(shape: [Int], fortranOrder: Bool = false, targetElements: Int = 1 << 20) -> [Int] {
    var block = Array(repeating: 1, count: shape.count)
    var elements = 1
    let axes = fortranOrder ? Array(shape.indices) : shape.indices.reversed()
    for axis in axes {
        let extent = max(shape[axis], 1)
        if elements * extent <= targetElements {
            block[axis] = extent
            elements *= extent
        } else {
            block[axis] = max(1, targetElements / elements)
            break
        }
    }
    return block
}
