// The shared chunk-filtering threads (see filter_pool.h).
#include "chunks/filter_pool.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

namespace h5dat {
namespace {

struct Batch {
  size_t size;
  const std::function<void(size_t)>* fn;
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  std::mutex mutex;
  std::condition_variable finished;

  // Takes items until none is left; true when this call finished the last one.
  void Work() {
    for (size_t i = next++; i < size; i = next++) {
      (*fn)(i);
      if (++done == size) {
        std::lock_guard<std::mutex> guard(mutex);
        finished.notify_all();
      }
    }
  }
};

class Pool {
 public:
  Pool() {
    unsigned threads = std::max(1u, std::thread::hardware_concurrency()) - 1;
    for (unsigned i = 0; i < std::max(1u, threads); i++) std::thread([this] { Loop(); }).detach();
  }

  void Submit(const std::shared_ptr<Batch>& batch) {
    std::lock_guard<std::mutex> guard(mutex_);
    queue_.push_back(batch);
    ready_.notify_all();
  }

 private:
  void Loop() {
    while (true) {
      std::shared_ptr<Batch> batch;
      {
        std::unique_lock<std::mutex> guard(mutex_);
        ready_.wait(guard, [this] { return !queue_.empty(); });
        batch = queue_.front();
        if (batch->next >= batch->size) {
          queue_.pop_front();
          continue;
        }
      }
      batch->Work();
    }
  }

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::shared_ptr<Batch>> queue_;
};

// Never destroyed: its detached threads may outlive static destruction at exit.
Pool& SharedPool() {
  static Pool* pool = new Pool();
  return *pool;
}

}  // namespace

void ParallelFor(size_t n, const std::function<void(size_t)>& fn) {
  if (n == 0) return;
  if (n == 1) {
    fn(0);
    return;
  }
  auto batch = std::make_shared<Batch>();
  batch->size = n;
  batch->fn = &fn;
  SharedPool().Submit(batch);
  batch->Work();
  std::unique_lock<std::mutex> guard(batch->mutex);
  batch->finished.wait(guard, [&] { return batch->done == n; });
}

}  // namespace h5dat
