#pragma once
// What the codec files share (filters/codecs.h is the interface): the byte-order helpers of
// the LZ4 block format that LZ4 and Bitshuffle chunks use, and the decoded-size check.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "filters/codecs.h"

namespace h5dat::codecs {

// Fletcher-32's 4 bytes, kept free after every encoded chunk.
constexpr size_t kChecksumRoom = 4;

// HDF5 stores a chunk's size in 32 bits: no chunk decodes to more.
constexpr uint64_t kMaxChunkBytes = 0xffffffffull;

inline uint64_t ReadBE64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = (v << 8) | p[i];
  return v;
}
inline uint32_t ReadBE32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}
inline void WriteBE64(uint8_t* p, uint64_t v) {
  for (int i = 7; i >= 0; i--, v >>= 8) p[i] = static_cast<uint8_t>(v);
}
inline void WriteBE32(uint8_t* p, uint32_t v) {
  for (int i = 3; i >= 0; i--, v >>= 8) p[i] = static_cast<uint8_t>(v);
}

// Refuses a decoded size a chunk claims before anything is allocated for it: more than the
// caller expects (when it knows), more than a chunk can hold, or more than `maxRatio` times the
// stored bytes (the most the codec can expand data by).
void CheckClaim(const char* codec, uint64_t claimed, size_t stored, size_t expected, uint64_t maxRatio);

// The codecs, one file each (filters/<name>_codec.cc); `values` as stored.
ChunkBytes ZstdEncode(const unsigned* values, size_t count, const uint8_t* in, size_t size);
ChunkBytes ZstdDecode(const uint8_t* in, size_t size, size_t expected);
ChunkBytes Lz4Encode(const unsigned* values, size_t count, const uint8_t* in, size_t size);
ChunkBytes Lz4Decode(const uint8_t* in, size_t size, size_t expected);
ChunkBytes BitshuffleEncode(const unsigned* values, size_t count, const uint8_t* in, size_t size);
ChunkBytes BitshuffleDecode(const unsigned* values, size_t count, const uint8_t* in, size_t size, size_t expected);
ChunkBytes BloscEncode(const unsigned* values, size_t count, const uint8_t* in, size_t size);
ChunkBytes BloscDecode(const uint8_t* in, size_t size, size_t expected);

// Raw block codecs shared by LZ4 chunks and Bitshuffle's compressed blocks: compress `size`
// bytes into `out` (room for BlockBound(size)), returning the compressed length; decompress
// exactly `size` bytes or throw.
size_t Lz4BlockBound(size_t size);
size_t Lz4Block(const uint8_t* in, size_t size, uint8_t* out);
void Lz4Unblock(const uint8_t* in, size_t stored, uint8_t* out, size_t size, const char* codec);
size_t ZstdBlockBound(size_t size);
size_t ZstdBlock(const uint8_t* in, size_t size, uint8_t* out, size_t room, int level);
void ZstdUnblock(const uint8_t* in, size_t stored, uint8_t* out, size_t size, const char* codec);

// LZ4 expands data at most ~255 times; Zstandard at most ~32,768 times (an RLE block of
// 128 KiB in 4 bytes); either plus a little for headers.
constexpr uint64_t kLz4MaxRatio = 256;
constexpr uint64_t kZstdMaxRatio = 32768;

}  // namespace h5dat::codecs
