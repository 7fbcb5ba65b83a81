#pragma once
// Threads for chunk filtering, started once and shared by every job: per-write thread start-up
// would cost as much as compressing a small chunk. No HDF5 calls run on them.
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>

namespace h5dat {

// Runs fn(0) … fn(n - 1) on the calling thread and the pool's threads; returns when all are done.
void ParallelFor(size_t n, const std::function<void(size_t)>& fn);

// The first failure among ParallelFor's items, kept whole (an H5Failure keeps HDF5's message) to
// be rethrown on the calling thread: an exception must not leave a pool thread.
class FirstFailure {
 public:
  // Runs fn, keeping what it throws if nothing was kept before. False when fn threw.
  template <typename Fn>
  bool Capture(Fn&& fn) noexcept {
    try {
      fn();
      return true;
    } catch (...) {
      std::lock_guard<std::mutex> guard(mutex_);
      if (!first_) first_ = std::current_exception();
      failed_ = true;
      return false;
    }
  }
  // Whether an item failed: the others may stop early.
  bool Failed() const { return failed_; }
  // Throws the kept failure, if any.
  void Rethrow() const {
    if (first_) std::rethrow_exception(first_);
  }

 private:
  std::mutex mutex_;
  std::exception_ptr first_;
  std::atomic<bool> failed_{false};
};

}  // namespace h5dat
