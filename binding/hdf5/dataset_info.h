#pragma once
// What a Dataset object knows without reading data: shape, type, layout, filters, sizes.
#include <hdf5.h>
#include <napi.h>

#include <string>
#include <vector>

#include "types/dataspace.h"
#include "types/type_spec.h"

namespace h5dat {

struct FilterInfo {
  int id = 0;
  std::string name;
  std::vector<unsigned> values;
  bool available = true;  // whether this build of HDF5 can run it (else the data cannot be read)
};

struct DatasetInfo {
  std::string path;
  Shape shape, maxShape;
  TypeSpec type;
  std::string layout;
  std::vector<hsize_t> chunks;
  std::vector<FilterInfo> filters;
  hsize_t storageSize = 0;
  // Where the values are when not in the file: "external raw data '/x'" (external_access.h), or "".
  std::string outside;
  Napi::Object ToJs(Napi::Env env) const;
};

// Lock held.
DatasetInfo DescribeDataset(hid_t dataset, const std::string& path);

}  // namespace h5dat
