// Capturing HDF5 failures and turning them into JS errors (see h5_failure.h).
#include "core/h5_failure.h"

#include "core/addon_data.h"

namespace h5dat {
namespace {

// The POSIX drivers' messages start with a ctime() stamp, newline included ("file write failed:
// time = Wed Nov 25 17:07:50 2026\n, filename = ..."): one-line messages read better without it.
std::string WithoutTimestamp(std::string text) {
  size_t start = text.find("time = ");
  if (start == std::string::npos) return text;
  size_t end = text.find(", ", start);
  if (end == std::string::npos) return text;
  return text.erase(start, end + 2 - start);
}

herr_t CollectMessage(unsigned n, const H5E_error2_t* err, void* out) {
  auto* stack = static_cast<std::vector<std::string>*>(out);
  std::string line = WithoutTimestamp(err->desc ? err->desc : "");
  if (err->func_name) line = std::string(err->func_name) + ": " + line;
  char minor[256] = {0};
  if (H5Eget_msg(err->min_num, nullptr, minor, sizeof minor) > 0) line += " (" + std::string(minor) + ")";
  stack->push_back(line);
  return 0;
}

}  // namespace

void FailH5(const std::string& action, const std::string& path) {
  H5Failure failure;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, CollectMessage, &failure.stack);
  H5Eclear2(H5E_DEFAULT);
  failure.path = path;
  failure.message = action;
  if (!path.empty()) failure.message += " '" + path + "'";
  if (!failure.stack.empty()) {
    // The innermost entry names the real cause (errno text, "name already exists", ...).
    const std::string& inner = failure.stack.front();
    size_t colon = inner.find(": ");
    failure.message += ": " + (colon == std::string::npos ? inner : inner.substr(colon + 2));
  }
  throw failure;
}

void FailUsage(const std::string& message, const std::string& path) {
  H5Failure failure;
  failure.message = message;
  if (!path.empty()) failure.message += " ('" + path + "')";
  failure.path = path;
  throw failure;
}

void SetErrorClasses(Napi::Env env, Napi::Function h5Error, Napi::Function archiveError) {
  AddonData::Of(env)->errorClass = Napi::Persistent(h5Error);
  AddonData::Of(env)->archiveErrorClass = Napi::Persistent(archiveError);
}

Napi::Value MakeJsError(Napi::Env env, const H5Failure& failure) {
  Napi::Object error;
  AddonData* data = AddonData::Of(env);
  Napi::FunctionReference& ctor = failure.archive ? data->archiveErrorClass : data->errorClass;
  if (!ctor.IsEmpty()) {
    error = ctor.New({Napi::String::New(env, failure.message)});
  } else {
    error = Napi::Error::New(env, failure.message).Value();
  }
  Napi::Array stack = Napi::Array::New(env, failure.stack.size());
  for (size_t i = 0; i < failure.stack.size(); i++) stack.Set(i, failure.stack[i]);
  error.Set("h5Stack", stack);
  error.Set("path", failure.path.empty() ? env.Null() : Napi::String::New(env, failure.path));
  return error;
}

}  // namespace h5dat
