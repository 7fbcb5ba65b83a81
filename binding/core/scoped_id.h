#pragma once
// HDF5 ids closed when they go out of scope. Closing after a failed call must happen only once
// the error stack was captured (any HDF5 API call clears it), which scope exit guarantees:
// FailH5 reads the stack before it throws.
#include <hdf5.h>

namespace h5dat {

template <herr_t (*Close)(hid_t)>
class ScopedId {
 public:
  explicit ScopedId(hid_t id = H5I_INVALID_HID) : id_(id) {}
  ~ScopedId() {
    if (id_ >= 0) Close(id_);
  }
  ScopedId(const ScopedId&) = delete;
  ScopedId& operator=(const ScopedId&) = delete;
  hid_t get() const { return id_; }
  // Hands the id over to the caller, who closes it.
  hid_t release() {
    hid_t id = id_;
    id_ = H5I_INVALID_HID;
    return id;
  }

 private:
  hid_t id_;
};

using TypeId = ScopedId<H5Tclose>;
using SpaceId = ScopedId<H5Sclose>;
using PlistId = ScopedId<H5Pclose>;
using FileId = ScopedId<H5Fclose>;
using AttrId = ScopedId<H5Aclose>;

}  // namespace h5dat
