// The codecs registered in the addon's own HDF5 at load: no plugin path to set, and files
// written with them by h5py + hdf5plugin read here like gzip ones.
#include "filters/addon_filters.h"

#include "filters/codecs.h"
#include "filters/h5z_filters.h"

namespace h5dat::codecs {

const Hdf5Calls& Calls() {
  static const Hdf5Calls calls{H5Pget_filter_by_id2, H5Pget_chunk, H5Pmodify_filter, H5Tget_size, H5Tget_class,
                               H5Tget_super, H5Tclose, H5Epush2, &H5E_ERR_CLS_g, &H5E_PLINE_g, &H5E_CANTFILTER_g};
  return calls;
}

void RegisterCodecFilters() {
  for (H5Z_filter_t id : kAll) H5Zregister(FilterClass(id));
}

}  // namespace h5dat::codecs
