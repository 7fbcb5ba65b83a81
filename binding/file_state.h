#pragma once
// What every handle of one open file shares: the file id and whether it is still open. Handles
// check it before each call, so a handle used after its file was closed throws instead of
// passing a dead (or, worse, reused) id to HDF5.
#include <hdf5.h>

#include <atomic>
#include <memory>
#include <string>

namespace h5dat {

struct FileState {
  hid_t id = H5I_INVALID_HID;
  std::string path;
  bool writable = false;
  std::atomic<bool> open{true};
};

// Closes every object still open in the file, then the file. Call with the HDF5 lock held.
herr_t CloseFileAndObjects(hid_t fileId);

// Files not yet closed, so that process teardown can close them cleanly. Lock held.
void RegisterOpenFile(const std::shared_ptr<FileState>& file);
void ForgetOpenFile(const FileState* file);
void CloseAllOpenFiles();

}  // namespace h5dat
