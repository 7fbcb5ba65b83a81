#pragma once
// The compression filters h5dat runs besides gzip, at the IDs and cd_values layouts hdf5plugin
// writes, so either side reads the other's files: Zstandard 32015, LZ4 32004, Bitshuffle 32008
// (alone, with LZ4 or with Zstandard) and Blosc 32001. Each chunk is encoded and decoded on any
// thread with no HDF5 call, so the addon runs them outside the HDF5 lock
// (chunks/chunk_filters.cc), HDF5 runs them through filters/h5z_filters.cc, and the plugins h5dat
// ships for other HDF5 programs (filters/plugin_entry.cc) are the same code.
//
// Decoding never trusts a chunk: every length read from it is checked against the bytes there,
// and a decoded size it claims is refused before allocation when it exceeds what the caller
// expects, HDF5's chunk limit, or what the codec could possibly expand the stored bytes to.
#include <H5Zpublic.h>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "chunks/chunk_bytes.h"

namespace h5dat::codecs {

constexpr H5Z_filter_t kBlosc = 32001;
constexpr H5Z_filter_t kLz4 = 32004;
constexpr H5Z_filter_t kBitshuffle = 32008;
constexpr H5Z_filter_t kZstd = 32015;

// The codecs in h5dat, in ID order.
constexpr H5Z_filter_t kAll[] = {kBlosc, kLz4, kBitshuffle, kZstd};

// A chunk that cannot be encoded or decoded; the message names the codec and the cause.
class CodecError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Whether `id` is one of the codecs above.
bool Runs(H5Z_filter_t id);

// The codec's name as HDF5 records it in a file's filter pipeline.
const char* Name(H5Z_filter_t id);

// The cd_values a dataset stores for `id`, given the user's: what the filter's set_local adds
// (hdf5plugin's layout: Blosc's format, type size and chunk bytes; Bitshuffle's version and
// element size). `baseTypeSize` is an array type's element size (else typeSize).
std::vector<unsigned> LocalValues(H5Z_filter_t id, const std::vector<unsigned>& given, size_t typeSize,
                                  size_t baseTypeSize, size_t chunkBytes);

// Whether `values` (as stored) are ones Encode and Decode take.
bool ValidValues(H5Z_filter_t id, const unsigned* values, size_t count);

// The stored bytes of a chunk of `size` bytes. The result has room for 4 more bytes after its
// size (a Fletcher-32 checksum). Throws CodecError.
ChunkBytes Encode(H5Z_filter_t id, const unsigned* values, size_t count, const uint8_t* in, size_t size);

// The chunk's bytes from its stored bytes. `expected`: the decoded size when the caller knows
// it (anything else is refused), 0 when not. Throws CodecError.
ChunkBytes Decode(H5Z_filter_t id, const unsigned* values, size_t count, const uint8_t* in, size_t size,
                  size_t expected);

}  // namespace h5dat::codecs
