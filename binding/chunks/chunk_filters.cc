// Shuffle, deflate and Fletcher-32 as HDF5 writes them, run outside the HDF5 lock (see chunk_filters.h).
#include "chunks/chunk_filters.h"

#include <libdeflate.h>

#include <array>
#include <cstring>
#include <stdexcept>
#include <string>

#include "filters/codecs.h"

namespace h5dat {
namespace {

// Every buffer a filter writes has room for Fletcher-32's 4 bytes after it.
constexpr size_t kChecksumRoom = 4;

ChunkBytes Copy(const uint8_t* in, size_t size) {
  ChunkBytes out(size + kChecksumRoom);
  std::memcpy(out.data(), in, size);
  out.resize(size);
  return out;
}

ChunkBytes Shuffle(const uint8_t* in, size_t size, size_t elementSize) {
  size_t count = elementSize ? size / elementSize : 0;
  if (elementSize <= 1 || count <= 1) return Copy(in, size);  // HDF5 leaves these alone
  ChunkBytes out(size + kChecksumRoom);
  out.resize(size);
  uint8_t* dest = out.data();
  for (size_t byte = 0; byte < elementSize; byte++) {
    const uint8_t* src = in + byte;
    for (size_t i = 0; i < count; i++, src += elementSize) *dest++ = *src;
  }
  size_t leftover = size % elementSize;
  if (leftover) std::copy(in + size - leftover, in + size, dest);
  return out;
}

// libdeflate writes the same zlib stream format as HDF5's deflate filter (so any HDF5 inflates
// it) about twice as fast as zlib at the same level. One compressor per thread and level, kept.
ChunkBytes Deflate(const uint8_t* in, size_t size, unsigned level) {
  thread_local std::array<libdeflate_compressor*, 10> compressors{};
  libdeflate_compressor*& compressor = compressors[level];
  if (!compressor) compressor = libdeflate_alloc_compressor(static_cast<int>(level));
  if (!compressor) throw std::runtime_error("cannot allocate a deflate compressor");
  size_t bound = libdeflate_zlib_compress_bound(compressor, size);
  ChunkBytes out(bound + kChecksumRoom);
  size_t written = libdeflate_zlib_compress(compressor, in, size, out.data(), bound);
  if (written == 0) throw std::runtime_error("deflate output did not fit its bound");
  out.resize(written);
  return out;
}

uint32_t Fletcher32(const uint8_t* data, size_t length) {
  size_t words = length / 2;
  uint32_t sum1 = 0, sum2 = 0;
  while (words) {
    size_t block = words > 360 ? 360 : words;  // the most sums that cannot overflow
    words -= block;
    do {
      sum1 += static_cast<uint32_t>((static_cast<uint16_t>(data[0]) << 8) | data[1]);
      data += 2;
      sum2 += sum1;
    } while (--block);
    sum1 = (sum1 & 0xffff) + (sum1 >> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >> 16);
  }
  if (length % 2) {
    sum1 += static_cast<uint32_t>(static_cast<uint16_t>(*data) << 8);
    sum2 += sum1;
    sum1 = (sum1 & 0xffff) + (sum1 >> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >> 16);
  }
  sum1 = (sum1 & 0xffff) + (sum1 >> 16);
  sum2 = (sum2 & 0xffff) + (sum2 >> 16);
  return (sum2 << 16) | sum1;
}

ChunkBytes AppendFletcher32(ChunkBytes in) {
  size_t size = in.size();
  uint32_t sum = Fletcher32(in.data(), size);
  in.resize(size + kChecksumRoom);
  for (size_t i = 0; i < kChecksumRoom; i++) in.data()[size + i] = static_cast<uint8_t>(sum >> (8 * i));  // little-endian
  return in;
}

ChunkBytes Unshuffle(const uint8_t* in, size_t size, size_t elementSize) {
  size_t count = elementSize ? size / elementSize : 0;
  if (elementSize <= 1 || count <= 1) return Copy(in, size);
  ChunkBytes out(size + kChecksumRoom);
  out.resize(size);
  uint8_t* dest = out.data();
  for (size_t byte = 0; byte < elementSize; byte++) {
    uint8_t* to = dest + byte;
    for (size_t i = 0; i < count; i++, to += elementSize) *to = *in++;
  }
  size_t leftover = size % elementSize;
  if (leftover) std::copy(in, in + leftover, dest + size - leftover);
  return out;
}

ChunkBytes Inflate(const uint8_t* in, size_t size, size_t chunkBytes) {
  thread_local struct Holder {
    libdeflate_decompressor* decompressor = libdeflate_alloc_decompressor();
    ~Holder() { libdeflate_free_decompressor(decompressor); }
  } holder;
  if (!holder.decompressor) throw std::runtime_error("cannot allocate a deflate decompressor");
  ChunkBytes out(chunkBytes + kChecksumRoom);
  out.resize(chunkBytes);
  size_t actual = 0;
  libdeflate_result result = libdeflate_zlib_decompress(holder.decompressor, in, size, out.data(), chunkBytes, &actual);
  if (result != LIBDEFLATE_SUCCESS || actual != chunkBytes) {
    throw std::runtime_error("deflate: corrupt chunk: it does not inflate to its " + std::to_string(chunkBytes) + " bytes");
  }
  return out;
}

// Checks and removes Fletcher-32's 4 bytes. HDF5 also accepts the checksum with its two halves
// swapped (written so by HDF5 1.6 on big-endian machines), and so does this.
ChunkBytes StripFletcher32(const uint8_t* in, size_t size) {
  if (size < kChecksumRoom) throw std::runtime_error("fletcher32: corrupt chunk: shorter than its checksum");
  size_t length = size - kChecksumRoom;
  uint32_t stored = 0;
  for (size_t i = 0; i < kChecksumRoom; i++) stored |= static_cast<uint32_t>(in[length + i]) << (8 * i);
  uint32_t sum = Fletcher32(in, length);
  uint32_t swapped = ((sum & 0xff) << 24) | ((sum & 0xff00) << 8) | ((sum >> 8) & 0xff00) | (sum >> 24);
  if (stored != sum && stored != swapped) throw std::runtime_error("fletcher32: data error detected by the checksum");
  return Copy(in, length);
}

}  // namespace

bool CanUndoPipeline(const FilterPipeline& pipeline) {
  if (!CanRunPipeline(pipeline)) return false;
  int compressors = 0;
  bool checksum = false;
  for (const FilterStep& step : pipeline) {
    if (checksum) return false;  // anything after Fletcher-32
    if (step.id == H5Z_FILTER_FLETCHER32) {
      checksum = true;
    } else if (step.id == H5Z_FILTER_DEFLATE || codecs::Runs(step.id)) {
      if (++compressors > 1) return false;
    } else if (compressors > 0) {
      return false;  // shuffle after a compressor
    }
  }
  return true;
}

ChunkBytes UndoPipeline(const FilterPipeline& pipeline, uint32_t filterMask, const uint8_t* stored, size_t size,
                        size_t chunkBytes) {
  ChunkBytes chunk;
  bool inPlace = true;  // the first step reads the stored bytes where they are
  for (size_t i = pipeline.size(); i-- > 0;) {
    if (filterMask & (1u << i)) continue;
    const FilterStep& step = pipeline[i];
    const uint8_t* in = inPlace ? stored : chunk.data();
    size_t length = inPlace ? size : chunk.size();
    if (step.id == H5Z_FILTER_FLETCHER32) {
      chunk = StripFletcher32(in, length);
    } else if (step.id == H5Z_FILTER_DEFLATE) {
      chunk = Inflate(in, length, chunkBytes);
    } else if (step.id == H5Z_FILTER_SHUFFLE) {
      chunk = Unshuffle(in, length, step.values[0]);
    } else {
      chunk = codecs::Decode(step.id, step.values.data(), step.values.size(), in, length, chunkBytes);
    }
    inPlace = false;
  }
  if (inPlace) chunk = Copy(stored, size);
  if (chunk.size() != chunkBytes) {
    throw std::runtime_error("corrupt chunk: " + std::to_string(chunk.size()) + " bytes where the chunk holds " +
                             std::to_string(chunkBytes));
  }
  return chunk;
}

bool CanRunPipeline(const FilterPipeline& pipeline) {
  for (const FilterStep& step : pipeline) {
    bool known = (step.id == H5Z_FILTER_SHUFFLE && !step.values.empty()) ||
                 (step.id == H5Z_FILTER_DEFLATE && !step.values.empty() && step.values[0] <= 9) ||
                 step.id == H5Z_FILTER_FLETCHER32 ||
                 (codecs::Runs(step.id) && codecs::ValidValues(step.id, step.values.data(), step.values.size()));
    if (!known) return false;
  }
  return true;
}

ChunkBytes RunPipeline(const FilterPipeline& pipeline, const uint8_t* data, size_t size) {
  // Shuffle and deflate read their input and write a new buffer, so the first of them reads the
  // caller's bytes in place: no copy of the chunk is made before filtering.
  ChunkBytes chunk;
  bool inPlace = true;
  for (const FilterStep& step : pipeline) {
    const uint8_t* in = inPlace ? data : chunk.data();
    size_t length = inPlace ? size : chunk.size();
    if (step.id == H5Z_FILTER_SHUFFLE) {
      chunk = Shuffle(in, length, step.values[0]);
    } else if (step.id == H5Z_FILTER_DEFLATE) {
      chunk = Deflate(in, length, step.values[0]);
    } else if (codecs::Runs(step.id)) {
      chunk = codecs::Encode(step.id, step.values.data(), step.values.size(), in, length);
    } else if (step.id == H5Z_FILTER_FLETCHER32) {
      if (inPlace) chunk = Copy(data, size);
      chunk = AppendFletcher32(std::move(chunk));
    } else {
      continue;
    }
    inPlace = false;
  }
  if (inPlace) chunk = Copy(data, size);
  return chunk;
}

}  // namespace h5dat
