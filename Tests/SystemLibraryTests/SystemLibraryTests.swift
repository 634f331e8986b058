import CBLAS
import CCurses
import CHDF5
import Testing

/// The system-library targets link the real libraries, not stand-ins.
@Suite struct SystemLibraryTests {
    @Test func linksOpenBLASNotReferenceBLAS() {
        let configuration = String(cString: openblas_get_config())
        #expect(configuration.hasPrefix("OpenBLAS"), "got \(configuration)")
    }

    @Test func openBLASCanBePinnedToOneThread() {
        openblas_set_num_threads(1)
        #expect(openblas_get_num_threads() == 1)
    }

    @Test func cblasMultiplies() {
        // [1 2; 3 4] · [5 6; 7 8] = [19 22; 43 50]
        let a: [Double] = [1, 2, 3, 4], b: [Double] = [5, 6, 7, 8]
        var c = [Double](repeating: 0, count: 4)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 2, 2, 2, 1, a, 2, b, 2, 0, &c, 2)
        #expect(c == [19, 22, 43, 50])
    }

    @Test func linksWideCharacterNcurses() {
        let version = String(cString: curses_version())
        #expect(version.hasPrefix("ncurses"), "got \(version)")
        #expect(bt_color_pair(3) == 3 << 8)
    }

    @Test func linksHDF5AndItsTypeIdsResolve() {
        var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
        #expect(H5get_libversion(&major, &minor, &release) >= 0)
        #expect(major == 1 && minor >= 10, "got \(major).\(minor).\(release)")
        // The shim's type ids are HDF5's globals, filled in by H5open.
        #expect(H5Tget_size(bt_h5_t_ieee_f64le()) == 8)
        #expect(H5Tget_size(bt_h5_t_std_i32le()) == 4)
    }
}
