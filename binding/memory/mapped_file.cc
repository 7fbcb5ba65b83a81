// Files mapped into memory as ArrayBuffers: how a worker process hands decoded pixels to the
// writer without copies. The worker decodes them into a file in /dev/shm (tmpfs: memory, not
// disk) that it keeps mapped; the writer maps that file and passes the mapping to a dataset write, which filters straight
// from it. Through the IPC pipe the same pixels were copied five times (serialize, pipe write,
// pipe read, reassemble, deserialize), into freshly faulted pages each time.
#include <napi.h>
#ifndef _WIN32
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#include <cerrno>
#include <cstring>
#include <string>

#include "core/operations.h"

namespace h5dat {
namespace {

#ifdef _WIN32
// Windows has no /dev/shm: src/pool/shared-pixels.ts then sends pixels through the pipe and never
// maps a file.
Napi::Value MapFile(const Napi::CallbackInfo& info) {
  throw Napi::Error::New(info.Env(), "mapFile is not built on Windows (pixels go through the pipe)");
}
#else
struct Mapping {
  void* address;
  size_t size;
};

Napi::Error SystemError(Napi::Env env, const std::string& what, const std::string& path, int error) {
  return Napi::Error::New(env, "cannot " + what + " '" + path + "': " + std::strerror(error));
}

// mapFile(path, length?, shared?) → ArrayBuffer over the file's first `length` bytes (default:
// all of it).
// - Private (the writer reading pixels): JS may write into it (copy-on-write), never changing
//   the file; `length` may not pass the file's end.
// - Shared (a worker producing pixels): the file is made if missing and sized to `length`, and
//   writes go to it. A worker keeps such a mapping over the files it reuses, so decoding into it
//   faults no page in after the first image and needs no copy into the file.
// The mapping ends when the buffer is collected, or at once with unmapBuffer.
Napi::Value MapFile(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path = info[0].As<Napi::String>().Utf8Value();
  bool shared = info[2].ToBoolean();
  bool hasLength = info[1].IsNumber();
  if (shared && !hasLength) throw Napi::TypeError::New(env, "a shared mapping needs its length");
  double wanted = hasLength ? info[1].As<Napi::Number>().DoubleValue() : 0;
  if (hasLength && !(wanted >= 0 && wanted <= 9007199254740991.0)) throw Napi::RangeError::New(env, "mapFile: bad length");
  int fd = shared ? open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600) : open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw SystemError(env, "open", path, errno);
  struct stat facts;
  if (fstat(fd, &facts) != 0) {
    int error = errno;
    close(fd);
    throw SystemError(env, "stat", path, error);
  }
  size_t fileSize = static_cast<size_t>(facts.st_size);
  size_t size = hasLength ? static_cast<size_t>(wanted) : fileSize;
  if (shared && size != fileSize && ftruncate(fd, static_cast<off_t>(size)) != 0) {
    int error = errno;
    close(fd);
    throw SystemError(env, "resize", path, error);
  }
  // Pages reserved now, so that writing into the mapping cannot die of SIGBUS on a full tmpfs
  // (a container's /dev/shm may be 64 MB): a full one is an error here instead.
  if (shared && size > 0) {
    int error = posix_fallocate(fd, 0, static_cast<off_t>(size));
    if (error != 0) {
      close(fd);
      throw SystemError(env, "reserve " + std::to_string(size) + " bytes for", path, error);
    }
  }
  if (!shared && size > fileSize) {
    close(fd);
    throw Napi::RangeError::New(env, "cannot map " + std::to_string(size) + " bytes of '" + path + "': it holds " +
                                         std::to_string(fileSize));
  }
  if (size == 0) {
    close(fd);
    return Napi::ArrayBuffer::New(env, 0);
  }
  void* address = mmap(nullptr, size, PROT_READ | PROT_WRITE, shared ? MAP_SHARED : MAP_PRIVATE, fd, 0);
  int error = errno;
  close(fd);  // the mapping keeps the file's pages
  if (address == MAP_FAILED) throw SystemError(env, "map", path, error);
  auto* mapping = new Mapping{address, size};
  // V8 counts the mapping as external memory, so that garbage collection sees what it holds.
  Napi::MemoryManagement::AdjustExternalMemory(env, static_cast<int64_t>(size));
  return Napi::ArrayBuffer::New(
      env, address, size,
      [](Napi::Env env, void*, Mapping* mapping) {
        munmap(mapping->address, mapping->size);
        Napi::MemoryManagement::AdjustExternalMemory(env, -static_cast<int64_t>(mapping->size));
        delete mapping;
      },
      mapping);
}
#endif

// unmapBuffer(arrayBuffer): ends a mapFile mapping now (the buffer is detached: its views read
// as empty), instead of when the collector gets to it.
Napi::Value UnmapBuffer(const Napi::CallbackInfo& info) {
  Napi::ArrayBuffer buffer = info[0].As<Napi::ArrayBuffer>();
  if (!buffer.IsDetached()) buffer.Detach();
  return info.Env().Undefined();
}

}  // namespace

void InitMappedFile(Napi::Env env, Napi::Object exports) {
  exports.Set("mapFile", Napi::Function::New(env, MapFile, "mapFile"));
  exports.Set("unmapBuffer", Napi::Function::New(env, UnmapBuffer, "unmapBuffer"));
}

}  // namespace h5dat
