// The Handle class JS holds for every open HDF5 object (see handle.h).
#include "core/handle.h"

#include "core/addon_data.h"
#include "core/h5_failure.h"
#include "core/hdf5_lock.h"

namespace h5dat {

const char* KindName(HandleKind kind) {
  switch (kind) {
    case HandleKind::File: return "file";
    case HandleKind::Group: return "group";
    case HandleKind::Dataset: return "dataset";
    case HandleKind::Datatype: return "datatype";
  }
  return "unknown";
}

void Handle::Init(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = DefineClass(env, "Handle", {InstanceAccessor<&Handle::IsOpen>("isOpen")});
  AddonData::Of(env)->handleClass = Napi::Persistent(ctor);
  exports.Set("Handle", ctor);
}

Napi::Object Handle::New(Napi::Env env, hid_t id, std::shared_ptr<FileState> file, std::string path,
                         HandleKind kind) {
  Napi::Object object = AddonData::Of(env)->handleClass.New({});
  Handle* handle = Unwrap(object);
  handle->id_ = id;
  handle->file_ = std::move(file);
  handle->path_ = std::move(path);
  handle->kind_ = kind;
  object.Set("kind", KindName(kind));
  object.Set("path", handle->path_);
  return object;
}

Handle* Handle::From(const Napi::Value& value) {
  Napi::Env env = value.Env();
  if (value.IsObject() && value.As<Napi::Object>().InstanceOf(AddonData::Of(env)->handleClass.Value())) {
    return Unwrap(value.As<Napi::Object>());
  }
  throw Napi::TypeError::New(env, "expected an HDF5 handle");
}

Handle* PinnedHandle(Job& job, const Napi::Value& value) {
  Handle* handle = Handle::From(value);
  job.pins.push_back(value);
  return handle;
}

Handle::Handle(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Handle>(info) {}

Handle::~Handle() {
  if (id_ < 0 || !file_) return;
  if (kind_ == HandleKind::File) {
    DeferCloseFile(file_);
  } else {
    DeferClose(file_, id_);
  }
}

hid_t Handle::Id() const {
  if (id_ < 0) FailUsage(std::string("the ") + KindName(kind_) + " is closed", path_);
  if (!file_->open) FailUsage("the file of this " + std::string(KindName(kind_)) + " is closed", path_);
  return id_;
}

void Handle::Close() {
  if (id_ < 0) return;
  hid_t id = id_;
  id_ = H5I_INVALID_HID;
  if (!file_->open) return;  // closed with its file
  if (kind_ == HandleKind::File) {
    ForgetOpenFile(file_.get());
    Check(CloseFile(*file_), "cannot close file", file_->path);
  } else {
    file_->objects.erase(id);
    Check(H5Oclose(id), "cannot close object", path_);
  }
}

Napi::Value Handle::IsOpen(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), id_ >= 0 && file_ && file_->open);
}

}  // namespace h5dat
