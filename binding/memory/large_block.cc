// Zeroed, huge-page backed memory for large arrays (see large_block.h).
#include "memory/large_block.h"

#ifndef _WIN32
#include <sys/mman.h>
#include <unistd.h>
#endif

#include <cstdint>
#include <cstdlib>

namespace h5dat {
namespace {

constexpr size_t kHugePage = size_t{2} << 20;

size_t RoundUp(size_t bytes, size_t unit) { return (bytes + unit - 1) / unit * unit; }

#ifdef _WIN32
// Windows gives large pages only to processes holding SeLockMemoryPrivilege: every block is
// calloc'd (which also zeroes it).
bool IsLarge(size_t) { return false; }
void* MapAligned(size_t) { return nullptr; }
void Unmap(void*, size_t) {}
size_t PageSize() { return 4096; }
#else
size_t PageSize() {
  static const size_t size = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return size;
}

bool IsLarge(size_t bytes) { return bytes >= kHugePage; }

// Huge pages need 2 MiB-aligned addresses: map a huge page more than asked and trim both ends.
void* MapAligned(size_t length) {
  size_t reserved = length + kHugePage;
  void* mapped = mmap(nullptr, reserved, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) return nullptr;
  uintptr_t start = reinterpret_cast<uintptr_t>(mapped);
  uintptr_t aligned = RoundUp(start, kHugePage);
  if (aligned > start) munmap(mapped, aligned - start);
  uintptr_t end = aligned + length;
  if (start + reserved > end) munmap(reinterpret_cast<void*>(end), start + reserved - end);
  void* block = reinterpret_cast<void*>(aligned);
#ifdef MADV_HUGEPAGE
  madvise(block, length, MADV_HUGEPAGE);  // a hint: where refused, the block keeps small pages
#endif
  return block;
}

void Unmap(void* block, size_t length) { munmap(block, length); }
#endif

}  // namespace

void* AllocateLargeBlock(size_t bytes) {
  if (!IsLarge(bytes)) return std::calloc(bytes ? bytes : 1, 1);
  size_t length = RoundUp(bytes, PageSize());
  if (length > SIZE_MAX - kHugePage) return nullptr;
  return MapAligned(length);
}

void FreeLargeBlock(void* block, size_t bytes) {
  if (!block) return;
  if (!IsLarge(bytes)) {
    std::free(block);
    return;
  }
  Unmap(block, RoundUp(bytes, PageSize()));
}

Napi::ArrayBuffer LargeBlockToJs(Napi::Env env, void* block, size_t bytes) {
  return Napi::ArrayBuffer::New(
      env, block, bytes,
      [](Napi::Env, void* data, size_t* length) {
        FreeLargeBlock(data, *length);
        delete length;
      },
      new size_t(bytes));
}

}  // namespace h5dat
