// Files: open/create by h5py's mode letters, flush, close, size; the library version.
#include <hdf5_hl.h>
#include <unistd.h>

#include <climits>

#include "core/h5_failure.h"
#include "core/hdf5_lock.h"
#include "core/handle.h"
#include "core/job.h"
#include "core/operations.h"
#include "core/scoped_id.h"
#include "journal/checkpoint_journal.h"
#include "platform/platform.h"

namespace h5dat {
namespace {

// Files are written with the 1.8 object formats at the oldest and the 1.10 ones at the newest,
// so that h5py on HDF5 1.10 (Debian 12, many clusters) reads everything h5dat writes.
hid_t FileAccessList(const std::string& path) {
  hid_t fapl = Check(H5Pcreate(H5P_FILE_ACCESS), "cannot create file access list", path);
  H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_V110);
  return fapl;
}

// The POSIX descriptor under an open file (h5dat opens files with the sec2 driver only).
int DescriptorOf(hid_t file, const std::string& path) {
  void* handle = nullptr;
  if (H5Fget_vfd_handle(file, H5P_DEFAULT, &handle) < 0 || handle == nullptr) FailH5("cannot get the file descriptor of", path);
  return *static_cast<int*>(handle);
}

Job FileOpen(const Napi::CallbackInfo& info) {
  std::string path = info[0].ToString().Utf8Value();
  std::string mode = info[1].IsString() ? info[1].ToString().Utf8Value() : "r";
  bool checkpoints = info[2].IsObject() && info[2].As<Napi::Object>().Get("checkpoints").ToBoolean();
  Napi::Value external = info[2].IsObject() ? info[2].As<Napi::Object>().Get("external") : info.Env().Undefined();
  bool followExternal = external.IsString() && external.ToString().Utf8Value() == "follow";
  if (mode != "r" && mode != "r+" && mode != "w" && mode != "w-" && mode != "x" && mode != "a") {
    throw Napi::TypeError::New(info.Env(), "invalid file mode '" + mode + "' (use r, r+, w, w-, x or a)");
  }
  auto state = std::make_shared<FileState>();
  state->path = path;
  state->mode.followExternal = followExternal;
  Job job;
  job.Locked([state, path, mode, checkpoints]() {
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd)) state->openedIn = cwd;
    PlistId fapl(FileAccessList(path));
    hid_t id;
    bool create = mode == "w" || mode == "w-" || mode == "x" || (mode == "a" && access(path.c_str(), F_OK) != 0);
    if (create) {
      unsigned flags = mode == "w" ? H5F_ACC_TRUNC : H5F_ACC_EXCL;
      id = H5Fcreate(path.c_str(), flags, H5P_DEFAULT, fapl.get());
    } else {
      // A checkpoint a crash interrupted is finished (or dropped) before HDF5 reads the file.
      // Reading needs no write access: a read-only file with a journal is read as it is.
      try {
        RecoverJournal(path);
      } catch (const std::exception&) {
        if (mode != "r") throw;
      }
      id = H5Fopen(path.c_str(), mode == "r" ? H5F_ACC_RDONLY : H5F_ACC_RDWR, fapl.get());
    }
    Check(id, create ? "cannot create file" : "cannot open file", path);
    state->id = id;
    state->mode.writable = mode != "r";
    state->mode.checkpoints = checkpoints && state->mode.writable;
    RegisterOpenFile(state);
    int fd = DescriptorOf(id, path);
    // HDF5 opens its file without O_CLOEXEC: child processes started later (h5dat's decoding
    // workers, ffmpeg) would inherit the descriptor, and with it the file's lock, which then
    // outlives this process when it is killed.
    platform::CloseOnExec(fd);
    if (state->mode.checkpoints) {
      // A new file's first checkpoint is the empty file: a crash from here on leaves a file
      // that opens, never the bare superblock H5Fcreate writes.
      if (create) Check(H5Fflush(id, H5F_SCOPE_GLOBAL), "cannot flush file", path);
      TrackJournal(fd, path);
    }
  });
  job.done = [state, path](Napi::Env env) -> Napi::Value {
    return Handle::New(env, state->id, state, "/", HandleKind::File);
  };
  return job;
}

// fileOpenImage(bytes, name) → a read-only file over a copy of `bytes` (an HDF5 file held in
// memory, e.g. read from an archive), without a temporary file.
Job FileOpenImage(const Napi::CallbackInfo& info) {
  if (!info[0].IsTypedArray()) throw Napi::TypeError::New(info.Env(), "file image must be a Uint8Array");
  Napi::TypedArray view = info[0].As<Napi::TypedArray>();
  const uint8_t* bytes = static_cast<const uint8_t*>(view.ArrayBuffer().Data()) + view.ByteOffset();
  size_t length = view.ByteLength();
  std::string name = info[1].IsString() ? info[1].ToString().Utf8Value() : "(memory)";
  auto state = std::make_shared<FileState>();
  state->path = name;
  state->mode.image = true;
  Job job;
  job.pins.push_back(info[0]);
  job.Locked([state, bytes, length, name]() {
    // Flags 0: HDF5 copies the image and opens it read-only.
    hid_t id = H5LTopen_file_image(const_cast<uint8_t*>(bytes), length, 0);
    state->id = Check(id, "cannot open HDF5 file image", name);
    RegisterOpenFile(state);
  });
  job.done = [state](Napi::Env env) -> Napi::Value { return Handle::New(env, state->id, state, "/", HandleKind::File); };
  return job;
}

Job FileFlush(const Napi::CallbackInfo& info) {
  Job job;
  Handle* handle = PinnedHandle(job, info[0]);
  job.Locked([handle]() {
    Check(H5Fflush(handle->Id(), H5F_SCOPE_GLOBAL), "cannot flush file", handle->Path());
    if (handle->File()->mode.checkpoints) CommitJournal(DescriptorOf(handle->File()->id, handle->File()->path));
  });
  return job;
}

Job FileInfo(const Napi::CallbackInfo& info) {
  Job job;
  Handle* handle = PinnedHandle(job, info[0]);
  auto result = std::make_shared<std::pair<hsize_t, hssize_t>>();
  job.Locked([handle, result]() {
    hid_t id = handle->File()->id;
    handle->Id();
    Check(H5Fget_filesize(id, &result->first), "cannot get file size", handle->Path());
    result->second = Check(H5Fget_freespace(id), "cannot get free space", handle->Path());
  });
  job.done = [handle, result](Napi::Env env) -> Napi::Value {
    Napi::Object object = Napi::Object::New(env);
    object.Set("path", handle->File()->path);
    object.Set("writable", handle->File()->mode.writable);
    object.Set("size", static_cast<double>(result->first));
    object.Set("freeSpace", static_cast<double>(result->second));
    return object;
  };
  return job;
}

// Closes any handle: a file (with everything still open in it), group or dataset.
Job HandleClose(const Napi::CallbackInfo& info) {
  Job job;
  Handle* handle = PinnedHandle(job, info[0]);
  job.Locked([handle]() { handle->Close(); });
  return job;
}

// On the JS thread, but an HDF5 call like any other: H5get_libversion pushes an API context
// (HDF5's free lists), and without the lock that raced a job's calls on a worker thread and
// corrupted them (double frees seen with two convert() calls in one process).
Napi::Value LibraryVersion(const Napi::CallbackInfo& info) {
  unsigned major, minor, release;
  {
    H5Lock lock;
    H5get_libversion(&major, &minor, &release);
  }
  return Napi::String::New(info.Env(), std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(release));
}

}  // namespace

void InitFile(Napi::Env env, Napi::Object exports) {
  ExportJobs(env, exports, {{"fileOpen", FileOpen}, {"fileOpenImage", FileOpenImage},
                            {"fileFlush", FileFlush}, {"fileInfo", FileInfo}, {"handleClose", HandleClose}});
  exports.Set("libraryVersion", Napi::Function::New(env, LibraryVersion, "libraryVersion"));
}

}  // namespace h5dat
