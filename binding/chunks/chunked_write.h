#pragma once
// A write that covers whole chunks, done as HDF5 would but in two halves: the chunks are cut out
// of the caller's buffer and filtered on several threads without the HDF5 lock, then stored with
// H5Dwrite_chunk under it. This is what lets compression use every core while HDF5 calls stay
// serialized. Unfiltered chunks that lie contiguous in the caller's buffer (chunks spanning the
// trailing axes) are stored straight from it, without a copy. Writes that do not fit (partial
// chunks, type conversion, other filters) go the ordinary H5Dwrite way.
#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

#include "chunks/chunk_filters.h"
#include "core/handle.h"

namespace h5dat {

class ChunkedWrite {
 public:
  // Plans the write of the region [start, start + count) of a dataset with extent `dims`, chunk
  // shape `chunk` and element size `elementSize`. Returns false when it cannot go this way.
  bool Plan(std::vector<hsize_t> dims, std::vector<hsize_t> chunk, size_t elementSize, FilterPipeline pipeline,
            std::vector<hsize_t> start, std::vector<hsize_t> count);
  // Cuts and filters every chunk from `data` (the region, row-major). No HDF5 calls.
  void Filter(const uint8_t* data);
  // Stores the filtered chunks. Lock held.
  void Store(hid_t dataset, const std::string& path);
  // Filter and Store of a dataset that exists, overlapped: a chunk is stored (taking the lock)
  // while the next ones are filtered, so no core waits for the store of the whole write. Without
  // the lock; a failure stops the rest, and chunks stored before it stay.
  void FilterAndStore(const uint8_t* data, const Handle& dataset);

 private:
  struct Piece {
    std::vector<hsize_t> offset;
    ChunkBytes bytes;                   // filtered, or a padded copy of an edge chunk
    const uint8_t* source = nullptr;    // else: the chunk in the caller's buffer
    size_t sourceSize = 0;
  };
  // Cuts and filters one piece, or points it at the caller's buffer (unfiltered, whole).
  void FilterPiece(const uint8_t* data, Piece& piece) const;
  // Stores one piece and frees its bytes. Lock held.
  static void StorePiece(hid_t dataset, const std::string& path, Piece& piece);
  // Whether filtering is worth the pool threads (enough filtered bytes).
  bool Parallel() const;
  // Whether chunks are whole row blocks of the region (chunk and region span the trailing axes).
  bool ContiguousChunks() const;
  ChunkBytes Cut(const uint8_t* data, const std::vector<hsize_t>& offset) const;
  // The piece's bytes where they lie whole in the caller's buffer (setting `size`), or null.
  const uint8_t* InPlace(const uint8_t* data, const Piece& piece, size_t& size) const;

  std::vector<hsize_t> dims_, chunk_, start_, count_;
  size_t elementSize_ = 0;
  FilterPipeline pipeline_;
  std::vector<Piece> pieces_;
};

// Throws unless the file holding `dataset` is open for writing. H5Dwrite checks that itself;
// H5Dwrite_chunk does not: it allocates space and fails only at the write (EBADF). Lock held.
void RequireWriteIntent(hid_t dataset, const std::string& path);

// Reads a dataset's chunk shape and filter pipeline; false when it is not chunked. Lock held.
bool ChunkLayout(hid_t dataset, std::vector<hsize_t>& chunk, FilterPipeline& pipeline);

}  // namespace h5dat
