#pragma once
// Threads for chunk filtering, started once and shared by every job: per-write thread start-up
// would cost as much as compressing a small chunk. No HDF5 calls run on them.
#include <cstddef>
#include <functional>

namespace h5dat {

// Runs fn(0) … fn(n - 1) on the calling thread and the pool's threads; returns when all are done.
void ParallelFor(size_t n, const std::function<void(size_t)>& fn);

}  // namespace h5dat
