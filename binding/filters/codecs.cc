// Dispatch to the codecs, and the cd_values each filter stores (see filters/codecs.h).
#include "filters/codecs.h"

#include <blosc.h>

#include <algorithm>
#include <string>

#include "filters/codec_parts.h"

namespace h5dat::codecs {
namespace {

// Blosc's filter revision in its cd_values[0] (hdf5-blosc's FILTER_BLOSC_VERSION).
constexpr unsigned kBloscFilterRevision = 2;
// The Bitshuffle release whose format h5dat writes (cd_values[0..1]).
constexpr unsigned kBitshuffleMajor = 0, kBitshuffleMinor = 5;

}  // namespace

bool Runs(H5Z_filter_t id) { return std::find(std::begin(kAll), std::end(kAll), id) != std::end(kAll); }

const char* Name(H5Z_filter_t id) {
  switch (id) {
    case kBlosc: return "blosc";
    case kLz4: return "lz4";
    case kBitshuffle: return "bitshuffle";
    case kZstd: return "zstd";
    default: return "unknown";
  }
}

std::vector<unsigned> LocalValues(H5Z_filter_t id, const std::vector<unsigned>& given, size_t typeSize,
                                  size_t baseTypeSize, size_t chunkBytes) {
  if (id == kBitshuffle) {
    // Bitshuffle's set_local: version and element size first, the user's options after.
    std::vector<unsigned> values{kBitshuffleMajor, kBitshuffleMinor, static_cast<unsigned>(typeSize)};
    values.insert(values.end(), given.begin(), given.end());
    return values;
  }
  if (id == kBlosc) {
    // hdf5-blosc's set_local: the first 4 slots are its own, the user's options follow.
    std::vector<unsigned> values(given);
    if (values.size() < 4) values.resize(4, 0);
    values[0] = kBloscFilterRevision;
    values[1] = BLOSC_VERSION_FORMAT;
    values[2] = static_cast<unsigned>(baseTypeSize > BLOSC_MAX_TYPESIZE ? 1 : baseTypeSize);
    values[3] = static_cast<unsigned>(chunkBytes);
    return values;
  }
  return given;
}

bool ValidValues(H5Z_filter_t id, const unsigned* values, size_t count) {
  switch (id) {
    case kZstd:
    case kLz4: return true;
    case kBitshuffle:
      return count >= 3 && values[2] > 0 && (count < 4 || values[3] % 8 == 0) &&
             (count < 5 || values[4] == 0 || values[4] == 2 || values[4] == 3);
    case kBlosc: return count >= 4 && values[2] > 0;
    default: return false;
  }
}

void CheckClaim(const char* codec, uint64_t claimed, size_t stored, size_t expected, uint64_t maxRatio) {
  auto refuse = [&](const std::string& why) {
    throw CodecError(std::string(codec) + ": corrupt chunk: it claims " + std::to_string(claimed) +
                     " bytes decoded, " + why);
  };
  if (expected != 0 && claimed != expected) refuse("the chunk holds " + std::to_string(expected));
  if (claimed > kMaxChunkBytes) refuse("more than an HDF5 chunk can hold");
  if (claimed > uint64_t{stored} * maxRatio + 65536) {
    refuse("more than " + std::to_string(stored) + " stored bytes can expand to");
  }
}

ChunkBytes Encode(H5Z_filter_t id, const unsigned* values, size_t count, const uint8_t* in, size_t size) {
  if (!ValidValues(id, values, count)) throw CodecError(std::string(Name(id)) + ": invalid filter parameters");
  switch (id) {
    case kZstd: return ZstdEncode(values, count, in, size);
    case kLz4: return Lz4Encode(values, count, in, size);
    case kBitshuffle: return BitshuffleEncode(values, count, in, size);
    case kBlosc: return BloscEncode(values, count, in, size);
    default: throw CodecError("filter " + std::to_string(id) + " is not a codec h5dat runs");
  }
}

ChunkBytes Decode(H5Z_filter_t id, const unsigned* values, size_t count, const uint8_t* in, size_t size,
                  size_t expected) {
  if (!ValidValues(id, values, count)) throw CodecError(std::string(Name(id)) + ": invalid filter parameters");
  switch (id) {
    case kZstd: return ZstdDecode(in, size, expected);
    case kLz4: return Lz4Decode(in, size, expected);
    case kBitshuffle: return BitshuffleDecode(values, count, in, size, expected);
    case kBlosc: return BloscDecode(in, size, expected);
    default: throw CodecError("filter " + std::to_string(id) + " is not a codec h5dat runs");
  }
}

}  // namespace h5dat::codecs
