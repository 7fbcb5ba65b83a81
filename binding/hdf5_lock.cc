#include "hdf5_lock.h"

#include <vector>

#include "file_state.h"

namespace h5dat {
namespace {

std::mutex hdf5Mutex;
std::mutex pendingMutex;
std::vector<hid_t> pendingIds;
std::vector<hid_t> pendingFiles;

void ReleasePending() {
  std::vector<hid_t> ids, files;
  {
    std::lock_guard<std::mutex> guard(pendingMutex);
    ids.swap(pendingIds);
    files.swap(pendingFiles);
  }
  for (hid_t id : ids) {
    if (H5Iis_valid(id) > 0) H5Idec_ref(id);
  }
  for (hid_t fid : files) CloseFileAndObjects(fid);
  if (!ids.empty() || !files.empty()) H5Eclear2(H5E_DEFAULT);
}

}  // namespace

H5Lock::H5Lock() : guard_(hdf5Mutex) { ReleasePending(); }

void DeferClose(hid_t id) {
  std::lock_guard<std::mutex> guard(pendingMutex);
  pendingIds.push_back(id);
}

void DeferCloseFile(hid_t fileId) {
  std::lock_guard<std::mutex> guard(pendingMutex);
  pendingFiles.push_back(fileId);
}

}  // namespace h5dat
