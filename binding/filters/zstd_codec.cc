// Zstandard (filter 32015) as hdf5plugin writes it: one zstd frame with its content size,
// cd_values[0] the level (default 3, clamped to 1..max as its filter does).
#include <zstd.h>

#include <string>

#include "filters/codec_parts.h"

namespace h5dat::codecs {
namespace {

// One context per thread, kept: creating one costs more than compressing a small chunk.
ZSTD_CCtx* CompressContext() {
  thread_local struct Holder {
    ZSTD_CCtx* context = ZSTD_createCCtx();
    ~Holder() { ZSTD_freeCCtx(context); }
  } holder;
  if (!holder.context) throw CodecError("zstd: cannot allocate a compression context");
  return holder.context;
}

ZSTD_DCtx* DecompressContext() {
  thread_local struct Holder {
    ZSTD_DCtx* context = ZSTD_createDCtx();
    ~Holder() { ZSTD_freeDCtx(context); }
  } holder;
  if (!holder.context) throw CodecError("zstd: cannot allocate a decompression context");
  return holder.context;
}

}  // namespace

size_t ZstdBlockBound(size_t size) { return ZSTD_compressBound(size); }

size_t ZstdBlock(const uint8_t* in, size_t size, uint8_t* out, size_t room, int level) {
  size_t written = ZSTD_compressCCtx(CompressContext(), out, room, in, size, level);
  if (ZSTD_isError(written)) throw CodecError(std::string("zstd: ") + ZSTD_getErrorName(written));
  return written;
}

void ZstdUnblock(const uint8_t* in, size_t stored, uint8_t* out, size_t size, const char* codec) {
  size_t got = ZSTD_decompressDCtx(DecompressContext(), out, size, in, stored);
  if (ZSTD_isError(got)) throw CodecError(std::string(codec) + ": corrupt chunk: " + ZSTD_getErrorName(got));
  if (got != size) {
    throw CodecError(std::string(codec) + ": corrupt chunk: " + std::to_string(got) + " bytes decoded, " +
                     std::to_string(size) + " expected");
  }
}

ChunkBytes ZstdEncode(const unsigned* values, size_t count, const uint8_t* in, size_t size) {
  int level = count > 0 ? static_cast<int>(values[0]) : ZSTD_CLEVEL_DEFAULT;
  level = level < 1 ? 1 : level > ZSTD_maxCLevel() ? ZSTD_maxCLevel() : level;
  size_t bound = ZstdBlockBound(size);
  ChunkBytes out(bound + kChecksumRoom);
  out.resize(ZstdBlock(in, size, out.data(), bound, level));
  return out;
}

ChunkBytes ZstdDecode(const uint8_t* in, size_t size, size_t expected) {
  unsigned long long claimed = ZSTD_getFrameContentSize(in, size);
  if (claimed == ZSTD_CONTENTSIZE_ERROR) throw CodecError("zstd: corrupt chunk: not a zstd frame");
  if (claimed == ZSTD_CONTENTSIZE_UNKNOWN) throw CodecError("zstd: corrupt chunk: the frame does not say its size");
  CheckClaim("zstd", claimed, size, expected, kZstdMaxRatio);
  ChunkBytes out(claimed + kChecksumRoom);
  out.resize(claimed);
  ZstdUnblock(in, size, out.data(), claimed, "zstd");
  return out;
}

}  // namespace h5dat::codecs
