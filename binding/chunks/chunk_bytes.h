#pragma once
// The bytes of one filtered chunk, in storage that is recycled. A chunk of an image is ~700 KB:
// as a std::vector it was zero-filled before deflate wrote over it, and (blocks that large are
// mmapped, memory/allocator.cc) its pages were faulted in and cleared by the kernel again for every
// chunk, then unmapped. On P3 that zeroing and faulting was 7.5 % of all CPU (bench/NOTES.md,
// session 6). Blocks handed back are kept, up to a bound, for the next chunks.
#include <cstddef>
#include <cstdint>

namespace h5dat {

class ChunkBytes {
 public:
  ChunkBytes() = default;
  // Room for `capacity` bytes, not initialized; size() is 0 until resize().
  explicit ChunkBytes(size_t capacity);
  ~ChunkBytes();
  ChunkBytes(ChunkBytes&& other) noexcept;
  ChunkBytes& operator=(ChunkBytes&& other) noexcept;
  ChunkBytes(const ChunkBytes&) = delete;
  ChunkBytes& operator=(const ChunkBytes&) = delete;

  uint8_t* data() { return data_; }
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  // Sets the size, up to the capacity (the bytes are whatever was written there).
  void resize(size_t size);

 private:
  void Release();

  uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace h5dat
