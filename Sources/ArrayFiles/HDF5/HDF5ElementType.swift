import CHDF5

/// The element types of HDF5 datasets that blocktop reads, as the NumPy types they hold.
extension NPYDType {
    /// The type of the HDF5 datatype `type`, whose stored bytes `decode` reads: integers of NumPy's
    /// sizes and IEEE 754 floats of 16, 32 and 64 bits, in either byte order, and bool as h5py writes
    /// it (an enum of one byte with members FALSE = 0 and TRUE = 1); throws saying what the dataset
    /// holds instead. Call inside `HDF5.serialized`.
    static func hdf5(_ type: hid_t) throws(HDF5Error) -> NPYDType {
        let size = H5Tget_size(type)
        guard size > 0 else { throw HDF5Error("cannot read the element type: \(HDF5.takeErrorReason())") }
        let typeClass = H5Tget_class(type)
        let order: ByteOrder = H5Tget_order(type) == H5T_ORDER_BE ? .big : .little
        let found: NPYDType? = switch typeClass {
        case H5T_INTEGER where isWholeWidthInteger(type, size: size):
            NPYDType(kind: H5Tget_sign(type) == H5T_SGN_NONE ? .unsigned : .signed, size: size, byteOrder: order)
        case H5T_FLOAT where isIEEE754(type, size: size):
            NPYDType(kind: .float, size: size, byteOrder: order)
        case H5T_ENUM where isH5pyBool(type, size: size):
            NPYDType(kind: .bool, size: 1)
        default:
            nil
        }
        guard let found else {
            throw HDF5Error("its elements are \(describe(type, typeClass, size: size)), which blocktop does not read; "
                            + "it reads bool, int8–int64, uint8–uint64 and float16–float64")
        }
        return found
    }

    /// Whether the integer `type` uses every bit of its bytes, as NumPy's integers do.
    private static func isWholeWidthInteger(_ type: hid_t, size: Int) -> Bool {
        H5Tget_precision(type) == size * 8 && H5Tget_offset(type) == 0
    }

    /// Whether the float `type` has IEEE 754's binary16, binary32 or binary64 layout.
    private static func isIEEE754(_ type: hid_t, size: Int) -> Bool {
        let layouts: [Int: (exponentBits: Int, mantissaBits: Int, bias: Int)] = [2: (5, 10, 15), 4: (8, 23, 127), 8: (11, 52, 1023)]
        guard let layout = layouts[size] else { return false }
        var sign = 0, exponent = 0, exponentBits = 0, mantissa = 0, mantissaBits = 0
        guard H5Tget_fields(type, &sign, &exponent, &exponentBits, &mantissa, &mantissaBits) >= 0 else { return false }
        return sign == size * 8 - 1 && exponent == layout.mantissaBits && exponentBits == layout.exponentBits
            && mantissa == 0 && mantissaBits == layout.mantissaBits && H5Tget_ebias(type) == layout.bias
            && H5Tget_norm(type) == H5T_NORM_IMPLIED && H5Tget_offset(type) == 0
    }

    /// Whether the enum `type` is h5py's bool: one byte, members FALSE = 0 and TRUE = 1.
    private static func isH5pyBool(_ type: hid_t, size: Int) -> Bool {
        guard size == 1, H5Tget_nmembers(type) == 2 else { return false }
        var members: [String: Int8] = [:]
        for member in UInt32(0)..<2 {
            guard let name = H5Tget_member_name(type, member) else { return false }
            defer { H5free_memory(name) }
            var value: Int8 = 0
            guard H5Tget_member_value(type, member, &value) >= 0 else { return false }
            members[String(cString: name)] = value
        }
        return members == ["FALSE": 0, "TRUE": 1]
    }

    /// What elements of `type` are, in words, for the message that refuses them.
    private static func describe(_ type: hid_t, _ typeClass: H5T_class_t, size: Int) -> String {
        switch typeClass {
        case H5T_INTEGER where isWholeWidthInteger(type, size: size): return "\(size * 8)-bit integers"
        case H5T_INTEGER: return "integers of \(H5Tget_precision(type)) bits in \(size) bytes"
        case H5T_FLOAT where isIEEE754(type, size: size): return "\(size * 8)-bit floats"
        case H5T_FLOAT: return "\(size * 8)-bit floats of another layout than IEEE 754's"
        case H5T_ENUM: return "enumerations"
        case H5T_COMPOUND: return "compound (records, or complex numbers as h5py writes them)"
        case H5T_STRING: return "strings"
        case H5T_BITFIELD: return "bit fields"
        case H5T_OPAQUE: return "opaque bytes"
        case H5T_REFERENCE: return "references"
        case H5T_VLEN: return "variable-length sequences"
        case H5T_ARRAY: return "arrays"
        case H5T_TIME: return "times"
        default: return "of an unknown class"
        }
    }
}
