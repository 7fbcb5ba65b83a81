// Recycled storage for filtered chunk bytes (see chunk_bytes.h).
#include "chunks/chunk_bytes.h"

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <new>
#include <stdexcept>
#include <vector>

namespace h5dat {
namespace {

// Smaller blocks come from malloc's heaps, which reuse them cheaply anyway.
constexpr size_t kKeptMin = 64 << 10;
// What the recycler holds while no chunk uses it: bounded, so RSS stays flat (P5).
constexpr size_t kKeptMaxBytes = 16 << 20;
constexpr size_t kKeptMaxBlocks = 16;
// Capacities are rounded up to this, so chunks of nearly equal bounds share blocks.
constexpr size_t kGranule = 64 << 10;

struct Block {
  uint8_t* data;
  size_t capacity;
};

class Recycler {
 public:
  Block Take(size_t size) {
    if (size >= kKeptMin) {
      std::lock_guard<std::mutex> guard(mutex_);
      // The smallest kept block that fits.
      auto best = blocks_.end();
      for (auto it = blocks_.begin(); it != blocks_.end(); ++it) {
        if (it->capacity >= size && (best == blocks_.end() || it->capacity < best->capacity)) best = it;
      }
      if (best != blocks_.end()) {
        Block block = *best;
        blocks_.erase(best);
        keptBytes_ -= block.capacity;
        return block;
      }
      size = (size + kGranule - 1) / kGranule * kGranule;
    }
    auto* data = static_cast<uint8_t*>(std::malloc(std::max<size_t>(size, 1)));
    if (!data) throw std::bad_alloc();
    return {data, size};
  }

  void Give(Block block) {
    if (block.capacity >= kKeptMin && block.capacity <= kKeptMaxBytes) {
      std::lock_guard<std::mutex> guard(mutex_);
      blocks_.push_back(block);
      keptBytes_ += block.capacity;
      // Over the bound, the smallest blocks go first: the large ones are the costly ones to remake.
      while (keptBytes_ > kKeptMaxBytes || blocks_.size() > kKeptMaxBlocks) {
        auto smallest = std::min_element(blocks_.begin(), blocks_.end(),
                                         [](const Block& a, const Block& b) { return a.capacity < b.capacity; });
        keptBytes_ -= smallest->capacity;
        std::free(smallest->data);
        blocks_.erase(smallest);
      }
      return;
    }
    std::free(block.data);
  }

 private:
  std::mutex mutex_;
  std::vector<Block> blocks_;
  size_t keptBytes_ = 0;
};

// Never destroyed: chunks may be released by pool threads while the process exits.
Recycler& TheRecycler() {
  static Recycler* recycler = new Recycler();
  return *recycler;
}

}  // namespace

ChunkBytes::ChunkBytes(size_t capacity) {
  Block block = TheRecycler().Take(capacity);
  data_ = block.data;
  capacity_ = block.capacity;
}

ChunkBytes::~ChunkBytes() { Release(); }

ChunkBytes::ChunkBytes(ChunkBytes&& other) noexcept
    : data_(other.data_), size_(other.size_), capacity_(other.capacity_) {
  other.data_ = nullptr;
  other.size_ = other.capacity_ = 0;
}

ChunkBytes& ChunkBytes::operator=(ChunkBytes&& other) noexcept {
  if (this != &other) {
    Release();
    data_ = other.data_;
    size_ = other.size_;
    capacity_ = other.capacity_;
    other.data_ = nullptr;
    other.size_ = other.capacity_ = 0;
  }
  return *this;
}

void ChunkBytes::resize(size_t size) {
  if (size > capacity_) throw std::logic_error("chunk bytes resized beyond their capacity");
  size_ = size;
}

void ChunkBytes::Release() {
  if (data_) TheRecycler().Give({data_, capacity_});
  data_ = nullptr;
  size_ = capacity_ = 0;
}

}  // namespace h5dat
