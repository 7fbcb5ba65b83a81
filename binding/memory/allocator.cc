// Process memory tuning for long conversions. glibc's malloc raises its mmap threshold each time
// a large block is freed, after which blocks of pixels and chunks (hundreds of KiB, allocated and
// freed by several threads) come from per-thread heaps that fragment and rarely shrink: a
// 2 GB conversion's RSS then grows well past what it holds. A fixed threshold keeps such blocks
// mmapped, so freeing them returns the memory at once. Large arrays made in JS can take memory in
// huge pages (large_block.h), as numpy's do.
#include <napi.h>

#include <string>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "core/operations.h"
#include "memory/large_block.h"

namespace h5dat {
namespace {

// setMmapThreshold(bytes) → true when the allocator took it (glibc), false elsewhere.
Napi::Value SetMmapThreshold(const Napi::CallbackInfo& info) {
  int bytes = info[0].As<Napi::Number>().Int32Value();
#if defined(__GLIBC__)
  return Napi::Boolean::New(info.Env(), bytes > 0 && mallopt(M_MMAP_THRESHOLD, bytes) == 1);
#else
  (void)bytes;
  return Napi::Boolean::New(info.Env(), false);
#endif
}

// allocateBuffer(bytes) → a zeroed ArrayBuffer, in huge pages when large (large_block.h).
Napi::Value AllocateBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  double requested = info[0].As<Napi::Number>().DoubleValue();
  if (!(requested >= 0) || requested > 9007199254740991.0) {
    throw Napi::RangeError::New(env, "cannot allocate " + std::to_string(requested) + " bytes");
  }
  size_t bytes = static_cast<size_t>(requested);
  void* block = AllocateLargeBlock(bytes);
  if (!block) throw Napi::Error::New(env, "out of memory allocating " + std::to_string(bytes) + " bytes");
  return LargeBlockToJs(env, block, bytes);
}

}  // namespace

void InitAllocator(Napi::Env env, Napi::Object exports) {
  exports.Set("setMmapThreshold", Napi::Function::New(env, SetMmapThreshold, "setMmapThreshold"));
  exports.Set("allocateBuffer", Napi::Function::New(env, AllocateBuffer, "allocateBuffer"));
}

}  // namespace h5dat
