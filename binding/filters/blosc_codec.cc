// Blosc 1 (filter 32001) as hdf5-blosc writes it: the chunk is one Blosc buffer. cd_values:
// [0] filter revision, [1] Blosc format, [2] type size, [3] chunk bytes, [4] level (default 5),
// [5] shuffle (0 none, 1 byte, 2 bit; default 1), [6] compressor (0 blosclz, 1 lz4, 2 lz4hc,
// 3 snappy (not built), 4 zlib, 5 zstd). The _ctx calls keep no global state: any thread.
#include <blosc.h>

#include <string>

#include "filters/codec_parts.h"

namespace h5dat::codecs {

ChunkBytes BloscEncode(const unsigned* values, size_t count, const uint8_t* in, size_t size) {
  int level = count > 4 ? static_cast<int>(values[4]) : 5;
  int shuffle = count > 5 ? static_cast<int>(values[5]) : BLOSC_SHUFFLE;
  int code = count > 6 ? static_cast<int>(values[6]) : BLOSC_BLOSCLZ;
  const char* compressor = nullptr;
  if (blosc_compcode_to_compname(code, &compressor) < 0 || compressor == nullptr) {
    throw CodecError("blosc: compressor " + std::to_string(code) + " is not built in");
  }
  if (size > BLOSC_MAX_BUFFERSIZE) throw CodecError("blosc: a chunk over 2 GiB cannot be compressed");
  // With room for Blosc's overhead it always succeeds (storing the bytes as they are if need be).
  size_t room = size + BLOSC_MAX_OVERHEAD;
  ChunkBytes out(room + kChecksumRoom);
  int written = blosc_compress_ctx(level, shuffle, values[2], size, in, out.data(), room, compressor, 0, 1);
  if (written <= 0) throw CodecError("blosc: compression failed (" + std::to_string(written) + ")");
  out.resize(static_cast<size_t>(written));
  return out;
}

ChunkBytes BloscDecode(const uint8_t* in, size_t size, size_t expected) {
  size_t claimed = 0;
  if (size < BLOSC_MIN_HEADER_LENGTH || blosc_cbuffer_validate(in, size, &claimed) < 0) {
    throw CodecError("blosc: corrupt chunk: not a Blosc buffer of " + std::to_string(size) + " bytes");
  }
  CheckClaim("blosc", claimed, size, expected, kZstdMaxRatio);
  ChunkBytes out(claimed + kChecksumRoom);
  out.resize(claimed);
  int got = blosc_decompress_ctx(in, out.data(), claimed, 1);
  if (got < 0 || static_cast<size_t>(got) != claimed) {
    throw CodecError("blosc: corrupt chunk: it does not decode (" + std::to_string(got) + ")");
  }
  return out;
}

}  // namespace h5dat::codecs
