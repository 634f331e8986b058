// The HDF5 C library plus static-inline wrappers, prefixed `bt_h5_`, for the macros Swift cannot
// import: casts such as H5P_DEFAULT, and the type and class ids, which are globals that the macro
// fills in by calling H5open() first.
#ifndef BLOCKTOP_CHDF5_SHIM_H
#define BLOCKTOP_CHDF5_SHIM_H
#include <hdf5.h>

/// H5P_DEFAULT: the default property list.
static inline hid_t bt_h5_p_default(void) { return H5P_DEFAULT; }

/// H5S_ALL: the whole dataspace, in H5Dread and H5Dwrite.
static inline hid_t bt_h5_s_all(void) { return H5S_ALL; }

/// H5E_DEFAULT: the calling thread's error stack.
static inline hid_t bt_h5_e_default(void) { return H5E_DEFAULT; }

/// H5F_ACC_RDONLY: open a file read-only.
static inline unsigned bt_h5_f_acc_rdonly(void) { return H5F_ACC_RDONLY; }

/// H5F_ACC_TRUNC: create a file, emptying one that is there.
static inline unsigned bt_h5_f_acc_trunc(void) { return H5F_ACC_TRUNC; }

/// H5P_DATASET_CREATE: the class of a dataset's creation properties (its chunks).
static inline hid_t bt_h5_p_dataset_create(void) { return H5P_DATASET_CREATE; }

/// H5P_LINK_CREATE: the class of a link's creation properties (intermediate groups).
static inline hid_t bt_h5_p_link_create(void) { return H5P_LINK_CREATE; }

/// H5T_IEEE_F64LE, H5T_IEEE_F32LE, H5T_STD_I32LE, H5T_STD_I64LE: the types blocktop writes.
static inline hid_t bt_h5_t_ieee_f64le(void) { return H5T_IEEE_F64LE; }
static inline hid_t bt_h5_t_ieee_f32le(void) { return H5T_IEEE_F32LE; }
static inline hid_t bt_h5_t_std_i32le(void) { return H5T_STD_I32LE; }
static inline hid_t bt_h5_t_std_i64le(void) { return H5T_STD_I64LE; }
#endif
