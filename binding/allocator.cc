// Process memory tuning for long conversions. glibc's malloc raises its mmap threshold each time
// a large block is freed, after which blocks of pixels and chunks (hundreds of KiB, allocated and
// freed by several threads) come from per-thread heaps that fragment and rarely shrink: a
// 2 GB conversion's RSS then grows well past what it holds. A fixed threshold keeps such blocks
// mmapped, so freeing them returns the memory at once.
#include <napi.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "operations.h"

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

}  // namespace

void InitAllocator(Napi::Env env, Napi::Object exports) {
  exports.Set("setMmapThreshold", Napi::Function::New(env, SetMmapThreshold, "setMmapThreshold"));
}

}  // namespace h5dat
