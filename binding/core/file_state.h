#pragma once
// What every handle of one open file shares: the file id and whether it is still open. Handles
// check it before each call, so a handle used after its file was closed throws instead of
// passing a dead (or, worse, reused) id to HDF5.
#include <hdf5.h>

#include <atomic>
#include <memory>
#include <set>
#include <string>

namespace h5dat {

// How a file was opened: what its handles may do, and where its bytes and its links lead.
struct OpenMode {
  bool writable = false;
  // { checkpoints: true }: its bytes on disk change only at a flush (journal/checkpoint_journal.h).
  bool checkpoints = false;
  // { external: "follow" }: reads may reach the files its external raw data, virtual datasets and
  // external links name (hdf5/external_access.h).
  bool followExternal = false;
  // From bytes in memory (an archive member): no directory of its own on disk.
  bool image = false;
};

struct FileState {
  hid_t id = H5I_INVALID_HID;
  std::string path;
  // The working directory when the file was opened: HDF5 resolves a relative virtual source
  // against the file's directory made absolute then ("extpath"), wherever the process is now.
  std::string openedIn;
  OpenMode mode;
  std::atomic<bool> open{true};
  // Objects h5dat opened through this file, including ones reached by external links (which
  // live in another HDF5 file and so escape H5Fget_obj_ids). Lock held to use.
  std::set<hid_t> objects;
};

// Closes the objects opened through the file, anything else still open in it, then the file.
// Lock held.
herr_t CloseFile(FileState& file);

// Files not yet closed, so that process teardown can close them cleanly. Lock held.
void RegisterOpenFile(const std::shared_ptr<FileState>& file);
void ForgetOpenFile(const FileState* file);
void CloseAllOpenFiles();

}  // namespace h5dat
