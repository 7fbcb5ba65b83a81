// Bitshuffle (filter 32008) as its HDF5 filter writes it. cd_values: [0..1] its version, [2] the
// element size, [3] the block size in elements (0: Bitshuffle's default, ~8 KiB), [4] 0 (none),
// 2 (LZ4) or 3 (Zstandard), [5] the Zstandard level. Uncompressed, a chunk is bit-transposed
// block by block in place of its bytes. Compressed, it is the LZ4 filter's 12-byte header (the
// decoded size, the block size in bytes) and each block transposed, compressed and preceded by
// its length; blocks are whole multiples of 8 elements, the last one cut down to one, and the
// elements left over (fewer than 8) are stored as they are after it.
#include <bitshuffle_core.h>

#include <cstring>
#include <string>
#include <vector>

#include "filters/codec_parts.h"

// Bitshuffle's transposes of one block (bitshuffle_internals.h, not installed).
extern "C" {
int64_t bshuf_trans_bit_elem(const void* in, void* out, const size_t size, const size_t elem_size);
int64_t bshuf_untrans_bit_elem(const void* in, void* out, const size_t size, const size_t elem_size);
}

namespace h5dat::codecs {
namespace {

constexpr size_t kHeader = 12;
constexpr unsigned kWithLz4 = 2;  // cd_values[4]; 3 is Zstandard

struct Settings {
  size_t elementSize;
  size_t blockElements;  // 0 until known
  unsigned compression;
  int level;
};

Settings SettingsOf(const unsigned* values, size_t count) {
  Settings settings{values[2], count > 3 ? values[3] : 0, count > 4 ? values[4] : 0,
                    count > 5 ? static_cast<int>(values[5]) : 3};
  if (settings.blockElements == 0) settings.blockElements = bshuf_default_block_size(settings.elementSize);
  return settings;
}

void Check(int64_t result, const char* what) {
  if (result < 0) throw CodecError(std::string("bitshuffle: ") + what + " failed (" + std::to_string(result) + ")");
}

// The blocks of a chunk of `elements`: full ones, then the rest cut to a multiple of 8.
template <typename Fn>
void ForEachBlock(size_t elements, size_t block, Fn fn) {
  size_t done = 0;
  for (; done + block <= elements; done += block) fn(done, block);
  size_t last = (elements - done) - (elements - done) % 8;
  if (last) fn(done, last);
}

}  // namespace

ChunkBytes BitshuffleEncode(const unsigned* values, size_t count, const uint8_t* in, size_t size) {
  Settings s = SettingsOf(values, count);
  if (size % s.elementSize) throw CodecError("bitshuffle: the chunk is not a whole number of elements");
  size_t elements = size / s.elementSize;
  if (s.compression == 0) {
    ChunkBytes out(size + kChecksumRoom);
    out.resize(size);
    Check(bshuf_bitshuffle(in, out.data(), elements, s.elementSize, s.blockElements), "the transpose");
    return out;
  }
  size_t blockBytes = s.blockElements * s.elementSize;
  size_t blockBound = s.compression == kWithLz4 ? Lz4BlockBound(blockBytes) : ZstdBlockBound(blockBytes);
  size_t blocks = elements / s.blockElements + 1;
  ChunkBytes out(kHeader + blocks * (4 + blockBound) + size % (8 * s.elementSize) + kChecksumRoom);
  WriteBE64(out.data(), size);
  WriteBE32(out.data() + 8, static_cast<uint32_t>(blockBytes));
  uint8_t* at = out.data() + kHeader;
  std::vector<uint8_t> transposed(blockBytes);
  ForEachBlock(elements, s.blockElements, [&](size_t first, size_t length) {
    Check(bshuf_trans_bit_elem(in + first * s.elementSize, transposed.data(), length, s.elementSize), "the transpose");
    size_t bytes = length * s.elementSize;
    size_t written = s.compression == kWithLz4 ? Lz4Block(transposed.data(), bytes, at + 4)
                                           : ZstdBlock(transposed.data(), bytes, at + 4, blockBound, s.level);
    WriteBE32(at, static_cast<uint32_t>(written));
    at += 4 + written;
  });
  size_t leftover = elements % 8 * s.elementSize;
  std::memcpy(at, in + size - leftover, leftover);
  at += leftover;
  out.resize(static_cast<size_t>(at - out.data()));
  return out;
}

ChunkBytes BitshuffleDecode(const unsigned* values, size_t count, const uint8_t* in, size_t size, size_t expected) {
  Settings s = SettingsOf(values, count);
  if (s.compression == 0) {
    if (expected != 0 && size != expected) CheckClaim("bitshuffle", size, size, expected, 1);
    if (size % s.elementSize) throw CodecError("bitshuffle: corrupt chunk: not a whole number of elements");
    ChunkBytes out(size + kChecksumRoom);
    out.resize(size);
    Check(bshuf_bitunshuffle(in, out.data(), size / s.elementSize, s.elementSize, s.blockElements), "the transpose");
    return out;
  }
  if (size < kHeader) throw CodecError("bitshuffle: corrupt chunk: shorter than its 12-byte header");
  uint64_t total = ReadBE64(in);
  size_t blockBytes = ReadBE32(in + 8);
  CheckClaim("bitshuffle", total, size, expected, s.compression == kWithLz4 ? kLz4MaxRatio : kZstdMaxRatio);
  if (total % s.elementSize || blockBytes % s.elementSize) throw CodecError("bitshuffle: corrupt chunk: not a whole number of elements");
  size_t block = blockBytes / s.elementSize;
  if (block == 0 || block % 8) throw CodecError("bitshuffle: corrupt chunk: its block size is not a multiple of 8 elements");
  size_t elements = total / s.elementSize;
  ChunkBytes out(total + kChecksumRoom);
  out.resize(total);
  const uint8_t* at = in + kHeader;
  const uint8_t* end = in + size;
  std::vector<uint8_t> transposed(std::min<size_t>(blockBytes, total));
  ForEachBlock(elements, block, [&](size_t first, size_t length) {
    if (end - at < 4) throw CodecError("bitshuffle: corrupt chunk: it ends before its last block");
    size_t stored = ReadBE32(at);
    at += 4;
    if (static_cast<size_t>(end - at) < stored) throw CodecError("bitshuffle: corrupt chunk: a block runs past its end");
    size_t bytes = length * s.elementSize;
    if (s.compression == kWithLz4) {
      Lz4Unblock(at, stored, transposed.data(), bytes, "bitshuffle");
    } else {
      ZstdUnblock(at, stored, transposed.data(), bytes, "bitshuffle");
    }
    Check(bshuf_untrans_bit_elem(transposed.data(), out.data() + first * s.elementSize, length, s.elementSize), "the transpose");
    at += stored;
  });
  size_t leftover = elements % 8 * s.elementSize;
  if (static_cast<size_t>(end - at) < leftover) throw CodecError("bitshuffle: corrupt chunk: it ends before its last elements");
  std::memcpy(out.data() + total - leftover, at, leftover);
  return out;
}

}  // namespace h5dat::codecs
