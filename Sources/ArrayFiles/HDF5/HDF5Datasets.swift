import CHDF5

/// Finding a dataset in an open HDF5 file by its name, and listing those there are when it is not
/// found. Call inside `HDF5.serialized`.
enum HDF5Datasets {
    /// The dataset `name` names in `file` (opened; the caller closes it), or, when `name` is nil,
    /// the file's only dataset, and its name; throws saying what is there instead.
    static func open(_ name: String?, in file: hid_t) throws(HDF5Error) -> (dataset: hid_t, name: String) {
        guard let name else {
            let names = all(in: file)
            guard names.count == 1 else {
                throw HDF5Error(names.isEmpty ? "holds no dataset"
                                : "holds \(names.count) datasets: name one with dataset= (\(listed(names)))")
            }
            return (try open(names[0], in: file).dataset, names[0])
        }
        let object = H5Oopen(file, name, bt_h5_p_default())
        guard object >= 0 else {
            H5Eclear2(bt_h5_e_default())
            let names = all(in: file)
            throw HDF5Error("has no dataset '\(name)'" + (names.isEmpty ? " (it holds none)" : " (its datasets: \(listed(names)))"))
        }
        switch H5Iget_type(object) {
        case H5I_DATASET:
            return (object, name)
        case H5I_GROUP:
            let names = all(in: object, named: name)
            H5Oclose(object)
            throw HDF5Error("'\(name)' is a group, not a dataset" + (names.isEmpty ? "" : " (datasets in it: \(listed(names)))"))
        default:
            H5Oclose(object)
            throw HDF5Error("'\(name)' is a named datatype, not a dataset")
        }
    }

    /// The full names of the datasets in `group` (named `groupName`) and the groups below it (hard
    /// links only: a dataset is listed once per hard link to it, none through soft or external links).
    static func all(in group: hid_t, named groupName: String = "/") -> [String] {
        var listing = Listing(prefix: groupName.hasSuffix("/") ? groupName : groupName + "/")
        withUnsafeMutablePointer(to: &listing) { pointer in
            _ = H5Lvisit(group, H5_INDEX_NAME, H5_ITER_INC, { group, name, info, data in
                guard let name, let info, info.pointee.type == H5L_TYPE_HARD else { return 0 }
                let object = H5Oopen(group, name, bt_h5_p_default())
                guard object >= 0 else { return 0 }
                defer { H5Oclose(object) }
                if H5Iget_type(object) == H5I_DATASET {
                    let listing = data!.assumingMemoryBound(to: Listing.self)
                    listing.pointee.names.append(listing.pointee.prefix + String(cString: name))
                }
                return 0
            }, pointer)
        }
        H5Eclear2(bt_h5_e_default())
        return listing.names
    }

    /// What `all` collects: names under a group's own.
    private struct Listing {
        let prefix: String
        var names: [String] = []
    }

    /// The first few of `names`, for a message, with how many there are when not all are shown.
    private static func listed(_ names: [String]) -> String {
        let shown = 6
        return names.prefix(shown).joined(separator: ", ") + (names.count > shown ? ", … (\(names.count) in all)" : "")
    }
}
