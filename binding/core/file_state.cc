// Closing files and the list of files still open (see file_state.h).
#include "core/file_state.h"

#include <vector>

namespace h5dat {
namespace {
std::vector<std::weak_ptr<FileState>> openFiles;
}

herr_t CloseFile(FileState& file) {
  file.open = false;
  for (hid_t id : file.objects) {
    if (H5Iis_valid(id) > 0) H5Oclose(id);
  }
  file.objects.clear();
  hid_t fileId = file.id;
  if (H5Iis_valid(fileId) <= 0) return 0;
  ssize_t count = H5Fget_obj_count(fileId, H5F_OBJ_ALL | H5F_OBJ_LOCAL);
  if (count > 0) {
    std::vector<hid_t> ids(static_cast<size_t>(count));
    H5Fget_obj_ids(fileId, H5F_OBJ_ALL | H5F_OBJ_LOCAL, ids.size(), ids.data());
    for (hid_t id : ids) {
      if (id == fileId || H5Iget_type(id) == H5I_FILE) continue;
      while (H5Iis_valid(id) > 0 && H5Idec_ref(id) > 0) {
      }
    }
  }
  return H5Fclose(fileId);
}

void RegisterOpenFile(const std::shared_ptr<FileState>& file) {
  ForgetOpenFile(nullptr);  // drops the entries of files already gone
  openFiles.push_back(file);
}

void ForgetOpenFile(const FileState* file) {
  for (auto it = openFiles.begin(); it != openFiles.end();) {
    auto locked = it->lock();
    if (!locked || locked.get() == file) {
      it = openFiles.erase(it);
    } else {
      ++it;
    }
  }
}

void CloseAllOpenFiles() {
  for (auto& weak : openFiles) {
    if (auto file = weak.lock()) {
      if (file->open) CloseFile(*file);
    }
  }
  openFiles.clear();
}

}  // namespace h5dat
