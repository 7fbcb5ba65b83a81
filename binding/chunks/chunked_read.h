#pragma once
// A read of whole or partial chunks done as HDF5 would, but in two halves: the stored chunks
// are fetched with H5Dread_chunk in short stays under the HDF5 lock, then their filters are
// undone and their elements scattered into the result on several threads without it. This is
// what lets decompression use every core (HDF5's own read inflates one chunk after another
// inside the lock). Reads that do not fit (type conversion, variable-length values, a chunk not
// stored, no filters at all, filters h5dat does not run: chunks/chunk_filters.h) go the
// ordinary H5Dread way.
#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

#include "chunks/chunk_filters.h"
#include "core/handle.h"
#include "types/dataspace.h"
#include "types/type_spec.h"

namespace h5dat {

class ChunkedRead {
 public:
  // Plans the read of `selection` of `dataset` into memory of type `memType`. Returns false
  // when it cannot go this way. Lock held.
  bool Plan(hid_t dataset, const Selection& selection, const TypeSpec& memType, const std::string& path);
  // Fetches, unfilters and scatters every chunk into `out` (the selection, row-major). Takes
  // the HDF5 lock itself for each batch of fetches: call without it. A dataset closed meanwhile
  // fails the read as any closed handle does.
  void Run(const Handle& dataset, uint8_t* out) const;

 private:
  struct Piece {
    std::vector<hsize_t> offset;  // the chunk's first element
    size_t storedSize = 0;        // as planned (batches are sized by it)
  };
  // Whether a chunk stored with `filterMask` skipped every filter (or there are none).
  bool Unfiltered(uint32_t filterMask) const;
  // Copies the part of the chunk at `offset` (its decoded bytes) inside the region into `out`.
  void Scatter(const std::vector<hsize_t>& offset, const uint8_t* chunk, uint8_t* out) const;

  std::vector<hsize_t> chunk_, start_, count_;
  size_t elementSize_ = 0;
  size_t chunkBytes_ = 0;
  FilterPipeline pipeline_;
  std::vector<Piece> pieces_;
  std::string path_;
};

}  // namespace h5dat
