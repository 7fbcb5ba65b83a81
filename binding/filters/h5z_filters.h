#pragma once
// The codecs (filters/codecs.h) as HDF5 filter classes: set_local completes a dataset's
// cd_values as hdf5plugin's filters do; the filter function encodes or decodes one chunk and
// reports a failure on HDF5's error stack. The same classes are registered by the addon at load
// (filters/addon_filters.cc) and returned by the plugins h5dat ships (filters/plugin_entry.cc).
#include <hdf5.h>

namespace h5dat::codecs {

// The HDF5 calls a filter class makes, as pointers: the addon's own static HDF5, or in a
// plugin the HDF5 of the program that loaded it (a plugin links no HDF5 library).
struct Hdf5Calls {
  herr_t (*getFilterById)(hid_t, H5Z_filter_t, unsigned*, size_t*, unsigned[], size_t, char[], unsigned*);
  int (*getChunk)(hid_t, int, hsize_t[]);
  herr_t (*modifyFilter)(hid_t, H5Z_filter_t, unsigned, size_t, const unsigned[]);
  size_t (*typeSize)(hid_t);
  H5T_class_t (*typeClass)(hid_t);
  hid_t (*typeSuper)(hid_t);
  herr_t (*typeClose)(hid_t);
  herr_t (*push)(hid_t, const char*, const char*, unsigned, hid_t, hid_t, hid_t, const char*, ...);
  const hid_t* errorClass;     // H5E_ERR_CLS_g
  const hid_t* pipelineMajor;  // H5E_PLINE_g
  const hid_t* filterMinor;    // H5E_CANTFILTER_g
};

// The calls; null members when they cannot be found. Defined by the addon and by each plugin.
const Hdf5Calls& Calls();

// HDF5's class for codec `id` (one of kAll), or null.
const H5Z_class2_t* FilterClass(H5Z_filter_t id);

}  // namespace h5dat::codecs
