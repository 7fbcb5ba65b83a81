// LZ4 (filter 32004) in the HDF Group's block format, as hdf5plugin writes it: the decoded size
// (big-endian 64 bits), the block size (32 bits), then each block as its stored length (32 bits)
// and its bytes, LZ4-compressed, or as they are when compressing would not make them smaller.
// cd_values[0]: the block size (0: 1 GiB, the filter's default).
#include <lz4.h>

#include <climits>
#include <cstring>
#include <string>

#include "filters/codec_parts.h"

namespace h5dat::codecs {
namespace {
constexpr size_t kHeader = 12;
constexpr size_t kDefaultBlock = size_t{1} << 30;
}  // namespace

size_t Lz4BlockBound(size_t size) { return static_cast<size_t>(LZ4_compressBound(static_cast<int>(size))); }

size_t Lz4Block(const uint8_t* in, size_t size, uint8_t* out) {
  int bound = LZ4_compressBound(static_cast<int>(size));
  int written = LZ4_compress_default(reinterpret_cast<const char*>(in), reinterpret_cast<char*>(out),
                                     static_cast<int>(size), bound);
  if (written <= 0) throw CodecError("lz4: compression failed");
  return static_cast<size_t>(written);
}

void Lz4Unblock(const uint8_t* in, size_t stored, uint8_t* out, size_t size, const char* codec) {
  if (stored > INT_MAX || size > INT_MAX) throw CodecError(std::string(codec) + ": corrupt chunk: a block is too large");
  int got = LZ4_decompress_safe(reinterpret_cast<const char*>(in), reinterpret_cast<char*>(out),
                                static_cast<int>(stored), static_cast<int>(size));
  if (got < 0 || static_cast<size_t>(got) != size) {
    throw CodecError(std::string(codec) + ": corrupt chunk: an LZ4 block does not decode to " + std::to_string(size) + " bytes");
  }
}

ChunkBytes Lz4Encode(const unsigned* values, size_t count, const uint8_t* in, size_t size) {
  if (size > INT32_MAX) throw CodecError("lz4: a chunk over 2 GiB cannot be compressed");
  size_t block = count > 0 && values[0] > 0 ? values[0] : kDefaultBlock;
  if (block > size) block = size;
  size_t blocks = size == 0 ? 0 : (size - 1) / block + 1;
  ChunkBytes out(kHeader + blocks * (4 + Lz4BlockBound(block)) + kChecksumRoom);
  uint8_t* at = out.data();
  WriteBE64(at, size);
  WriteBE32(at + 8, static_cast<uint32_t>(block));
  at += kHeader;
  for (size_t done = 0; done < size; done += block) {
    size_t length = std::min(block, size - done);
    size_t written = Lz4Block(in + done, length, at + 4);
    if (written >= length) {  // stored as it is, as the filter does
      written = length;
      std::memcpy(at + 4, in + done, length);
    }
    WriteBE32(at, static_cast<uint32_t>(written));
    at += 4 + written;
  }
  out.resize(static_cast<size_t>(at - out.data()));
  return out;
}

ChunkBytes Lz4Decode(const uint8_t* in, size_t size, size_t expected) {
  if (size < kHeader) throw CodecError("lz4: corrupt chunk: shorter than its 12-byte header");
  uint64_t total = ReadBE64(in);
  uint64_t block = ReadBE32(in + 8);
  CheckClaim("lz4", total, size, expected, kLz4MaxRatio);
  if (block > total) block = total;
  if (block == 0 && total > 0) throw CodecError("lz4: corrupt chunk: its block size is 0");
  ChunkBytes out(total + kChecksumRoom);
  out.resize(total);
  const uint8_t* at = in + kHeader;
  const uint8_t* end = in + size;
  for (uint64_t done = 0; done < total; done += block) {
    size_t length = static_cast<size_t>(std::min<uint64_t>(block, total - done));
    if (end - at < 4) throw CodecError("lz4: corrupt chunk: it ends before its last block");
    size_t stored = ReadBE32(at);
    at += 4;
    if (static_cast<size_t>(end - at) < stored) throw CodecError("lz4: corrupt chunk: a block runs past its end");
    if (stored == length) {
      std::memcpy(out.data() + done, at, length);
    } else {
      Lz4Unblock(at, stored, out.data() + done, length, "lz4");
    }
    at += stored;
  }
  return out;
}

}  // namespace h5dat::codecs
