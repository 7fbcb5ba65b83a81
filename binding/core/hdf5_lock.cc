// The process-wide HDF5 lock (see hdf5_lock.h).
#include "core/hdf5_lock.h"

#include <utility>
#include <vector>

namespace h5dat {
namespace {

std::mutex hdf5Mutex;
std::mutex pendingMutex;
std::vector<std::pair<std::shared_ptr<FileState>, hid_t>> pendingObjects;
std::vector<std::shared_ptr<FileState>> pendingFiles;

void ReleasePending() {
  std::vector<std::pair<std::shared_ptr<FileState>, hid_t>> objects;
  std::vector<std::shared_ptr<FileState>> files;
  {
    std::lock_guard<std::mutex> guard(pendingMutex);
    objects.swap(pendingObjects);
    files.swap(pendingFiles);
  }
  // An object whose file was closed meanwhile was closed with it.
  for (auto& [file, id] : objects) {
    if (file->open && file->objects.erase(id) && H5Iis_valid(id) > 0) H5Oclose(id);
  }
  for (auto& file : files) {
    if (file->open) CloseFile(*file);
  }
  if (!objects.empty() || !files.empty()) H5Eclear2(H5E_DEFAULT);
}

}  // namespace

H5Lock::H5Lock() : guard_(hdf5Mutex) { ReleasePending(); }

void DeferClose(std::shared_ptr<FileState> file, hid_t id) {
  std::lock_guard<std::mutex> guard(pendingMutex);
  pendingObjects.emplace_back(std::move(file), id);
}

void DeferCloseFile(std::shared_ptr<FileState> file) {
  std::lock_guard<std::mutex> guard(pendingMutex);
  pendingFiles.push_back(std::move(file));
}

}  // namespace h5dat
