#pragma once
// Writing attributes, shared by attrWrite / attrWriteMany and by datasetCreate, which writes a
// new dataset's attributes in the same job (one thread-pool round trip for the whole dataset).
#include <napi.h>

#include <hdf5.h>

#include <memory>
#include <string>
#include <vector>

#include "types/dataspace.h"
#include "types/payload.h"
#include "types/type_spec.h"

namespace h5dat {

// One attribute to write: what attrWrite takes, and each element of attrWriteMany's list.
struct AttrWriteSpec {
  std::string name;
  TypeSpec fileType;
  Shape shape;
  std::shared_ptr<OutgoingData> data;
};

AttrWriteSpec AttrWriteSpecFromJs(Napi::Value name, Napi::Value fileType, Napi::Value shape, Napi::Value data,
                                  std::vector<Napi::Value>& pins);

// A JS list of { name, fileType, shape, data }, read on the JS thread; `pins` keeps its buffers.
std::vector<AttrWriteSpec> AttrWriteSpecsFromJs(Napi::Array list, std::vector<Napi::Value>& pins);

// Creates or replaces one attribute of the object `id` at `objectPath` (under the HDF5 lock).
// `mayExist` false (a dataset just made) skips looking for one to replace.
void WriteAttr(hid_t id, const std::string& objectPath, const AttrWriteSpec& spec, bool mayExist = true);

}  // namespace h5dat
