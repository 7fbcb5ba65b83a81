#pragma once
// Zeroed memory for large arrays, backed by transparent huge pages where the kernel grants them
// on request (THP mode "madvise", Debian's default), as numpy's allocator does. The kernel's copies
// between such memory and the page cache (pwrite of a write, pread of a read) walk 2 MiB pages
// instead of 4 KiB ones and fault them in 512 times less often: a 1 GiB unfiltered write from a
// huge-page buffer took 0.16 s of kernel time instead of 0.24 s (bench/NOTES.md, session 8).
// Small blocks come from calloc.
#include <napi.h>

#include <cstddef>

namespace h5dat {

// nullptr when out of memory. Free with the same size.
void* AllocateLargeBlock(size_t bytes);
void FreeLargeBlock(void* block, size_t bytes);
// Hands a block to JS: an ArrayBuffer over it, which frees it when collected.
Napi::ArrayBuffer LargeBlockToJs(Napi::Env env, void* block, size_t bytes);

}  // namespace h5dat
