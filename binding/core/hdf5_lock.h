#pragma once
// libhdf5 is built without its thread-safe option, so every HDF5 call in the process runs while
// holding this one lock, whichever thread (JS or libuv pool) makes it.
#include <hdf5.h>

#include <memory>
#include <mutex>

#include "core/file_state.h"

namespace h5dat {

class H5Lock {
 public:
  H5Lock();
  H5Lock(const H5Lock&) = delete;
  H5Lock& operator=(const H5Lock&) = delete;

 private:
  std::unique_lock<std::mutex> guard_;
};

// GC finalizers run on the JS thread and must not wait behind a long write for the lock, so they
// queue the id here; the next holder of the lock releases it.
void DeferClose(std::shared_ptr<FileState> file, hid_t id);

// Same for a whole file whose JS object was collected: its objects, then the file, are closed.
void DeferCloseFile(std::shared_ptr<FileState> file);

}  // namespace h5dat
