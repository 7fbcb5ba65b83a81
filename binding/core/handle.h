#pragma once
// The JS object behind every open HDF5 file, group, dataset or named datatype: an id, the file it
// belongs to and its path. Operations live in hdf5/ (file.cc, group.cc, dataset.cc, attribute.cc,
// datatype.cc) and chunks/chunk.cc and receive a Handle as their first argument.
#include <hdf5.h>
#include <napi.h>

#include <memory>
#include <string>

#include "core/file_state.h"
#include "core/job.h"

namespace h5dat {

enum class HandleKind { File, Group, Dataset, Datatype };

class Handle : public Napi::ObjectWrap<Handle> {
 public:
  static void Init(Napi::Env env, Napi::Object exports);
  static Napi::Object New(Napi::Env env, hid_t id, std::shared_ptr<FileState> file, std::string path,
                          HandleKind kind);
  // The Handle in a JS argument; throws a TypeError when it is something else.
  static Handle* From(const Napi::Value& value);

  explicit Handle(const Napi::CallbackInfo& info);
  ~Handle() override;

  // The id to call HDF5 with; fails when the handle or its file was closed. Lock held.
  hid_t Id() const;
  const std::string& Path() const { return path_; }
  HandleKind Kind() const { return kind_; }
  const std::shared_ptr<FileState>& File() const { return file_; }
  // Closes this object (or, for a file handle, the file and all its objects). Lock held.
  void Close();

 private:
  Napi::Value IsOpen(const Napi::CallbackInfo& info);

  hid_t id_ = H5I_INVALID_HID;
  std::shared_ptr<FileState> file_;
  std::string path_;
  HandleKind kind_ = HandleKind::Group;
};

const char* KindName(HandleKind kind);

// The Handle in a job's argument (a TypeError when it is none), pinned so that its JS object,
// and so the HDF5 object, outlives the job.
Handle* PinnedHandle(Job& job, const Napi::Value& value);

}  // namespace h5dat
