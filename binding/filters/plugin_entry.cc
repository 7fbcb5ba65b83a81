// An HDF5 dynamic filter plugin of one codec (H5DAT_PLUGIN_FILTER, its ID), for programs that
// use their own HDF5 (h5py, h5dump, netCDF): HDF5_PLUGIN_PATH=$(h5dat plugin-path). It links no
// HDF5 library: its few HDF5 calls (set_local, error reports) are found at run time in the HDF5
// already loaded in the process, which Python loads without exporting its symbols globally.
#include <dlfcn.h>
#include <link.h>

#include <cstring>
#include <string>

#include "filters/h5z_filters.h"

namespace h5dat::codecs {
namespace {

// The path of the loaded libhdf5 shared object, if any.
std::string LoadedHdf5() {
  std::string found;
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* data) {
        const char* name = info->dlpi_name;
        const char* base = name ? std::strrchr(name, '/') : nullptr;
        base = base ? base + 1 : name;
        if (base && std::strncmp(base, "libhdf5", 7) == 0 && std::strncmp(base, "libhdf5_hl", 10) != 0 &&
            std::strncmp(base, "libhdf5_serial_hl", 17) != 0) {
          *static_cast<std::string*>(data) = name;
          return 1;
        }
        return 0;
      },
      &found);
  return found;
}

template <typename T>
void Find(void* library, const char* symbol, T& into) {
  void* address = library ? dlsym(library, symbol) : nullptr;
  if (!address) address = dlsym(RTLD_DEFAULT, symbol);
  into = reinterpret_cast<T>(address);
}

Hdf5Calls Resolve() {
  std::string path = LoadedHdf5();
  void* library = path.empty() ? nullptr : dlopen(path.c_str(), RTLD_LAZY | RTLD_NOLOAD);
  Hdf5Calls calls{};
  Find(library, "H5Pget_filter_by_id2", calls.getFilterById);
  Find(library, "H5Pget_chunk", calls.getChunk);
  Find(library, "H5Pmodify_filter", calls.modifyFilter);
  Find(library, "H5Tget_size", calls.typeSize);
  Find(library, "H5Tget_class", calls.typeClass);
  Find(library, "H5Tget_super", calls.typeSuper);
  Find(library, "H5Tclose", calls.typeClose);
  Find(library, "H5Epush2", calls.push);
  Find(library, "H5E_ERR_CLS_g", calls.errorClass);
  Find(library, "H5E_PLINE_g", calls.pipelineMajor);
  Find(library, "H5E_CANTFILTER_g", calls.filterMinor);
  return calls;  // the handle stays open: the library is in use for the life of the process
}

}  // namespace

const Hdf5Calls& Calls() {
  static const Hdf5Calls calls = Resolve();
  return calls;
}

}  // namespace h5dat::codecs

extern "C" {
__attribute__((visibility("default"))) int H5PLget_plugin_type(void) { return 0; /* H5PL_TYPE_FILTER */ }
__attribute__((visibility("default"))) const void* H5PLget_plugin_info(void) {
  return h5dat::codecs::FilterClass(H5DAT_PLUGIN_FILTER);
}
}
