#pragma once
// References between JS paths and HDF5: a stored reference (object, region, or HDF5 1.12's
// H5R_ref_t) resolved to its target's path and selection, and a path made into an object
// reference. Lock held for all of it.
#include <hdf5.h>

#include <map>
#include <optional>
#include <string>

#include "types/payload.h"

namespace h5dat {

class ReferenceResolver {
 public:
  // `loc`: any object of the file the references were read from; `path` names the data in errors.
  ReferenceResolver(hid_t loc, std::string path) : loc_(loc), path_(std::move(path)) {}
  // Fails (naming the data) on a reference whose target cannot be found.
  ReferenceValue Resolve(const TypeSpec& type, const uint8_t* slot);

 private:
  // The target's path; nullopt for an object that has none. Fails when there is no object.
  std::optional<std::string> ObjectPath(const std::string& kind, H5R_type_t type, const void* ref);
  hid_t loc_;
  std::string path_;
  std::map<haddr_t, std::string> objectNames_;  // H5Rget_name searches the file: once per target
};

// Writes a reference to `target` (absolute paths in the file of `loc`), or a null one, into
// `slot`: an object reference, or a region reference (H5T_STD_REF_DSETREG) to a selection of a
// dataset. Fails on a target that does not exist or a selection outside it. Lock held.
void MakeReference(hid_t loc, const ReferenceValue& target, const TypeSpec& type, uint8_t* slot, const std::string& path);

}  // namespace h5dat
