#pragma once
// A failed HDF5 call, captured (with HDF5's error stack) on whatever thread ran it, and turned
// into a JS H5Error on the JS thread.
#include <hdf5.h>
#include <napi.h>

#include <exception>
#include <string>
#include <vector>

namespace h5dat {

struct H5Failure : std::exception {
  std::string message;
  std::string path;
  std::vector<std::string> stack;  // HDF5's own messages, most specific first
  bool archive = false;            // raised by libarchive: becomes an ArchiveError
  const char* what() const noexcept override { return message.c_str(); }
};

// Throws an H5Failure for `action` on `path`, with the HDF5 error stack as it is now.
[[noreturn]] void FailH5(const std::string& action, const std::string& path);

// Throws an H5Failure that HDF5 did not raise (closed handle, bad argument, size mismatch).
[[noreturn]] void FailUsage(const std::string& message, const std::string& path);

// Returns `status` when it is not negative (HDF5's failure convention), else FailH5.
template <typename T>
T Check(T status, const std::string& action, const std::string& path) {
  if (status < 0) FailH5(action, path);
  return status;
}

// The JS constructors H5Errors and ArchiveErrors are made with (registered by the TypeScript
// side at load).
void SetErrorClasses(Napi::Env env, Napi::Function h5Error, Napi::Function archiveError);
Napi::Value MakeJsError(Napi::Env env, const H5Failure& failure);

}  // namespace h5dat
