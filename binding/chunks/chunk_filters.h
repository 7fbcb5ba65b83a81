#pragma once
// HDF5's shuffle, deflate and Fletcher-32 filters and h5dat's codecs (filters/codecs.h), run on
// any thread outside the HDF5 lock so chunks can be stored with H5Dwrite_chunk. Shuffle and Fletcher-32 are byte for byte HDF5
// 1.14.5's (H5Zshuffle.c, H5Zfletcher32.c); deflate is libdeflate's zlib format, which HDF5's
// filter inflates like its own. No HDF5 call in here.
#include <hdf5.h>

#include <cstdint>
#include <vector>

#include "chunks/chunk_bytes.h"

namespace h5dat {

struct FilterStep {
  H5Z_filter_t id;
  std::vector<unsigned> values;  // HDF5's cd_values as stored (shuffle: element size; deflate: level)
};

using FilterPipeline = std::vector<FilterStep>;

// Whether every filter is one h5dat can run itself.
bool CanRunPipeline(const FilterPipeline& pipeline);

// Whether h5dat can undo the pipeline itself on read: filters it runs, and at most one that
// changes the size (a compressor) with only shuffle before it and only Fletcher-32 after it, so
// the compressor's output size is known (the chunk's) before it runs.
bool CanUndoPipeline(const FilterPipeline& pipeline);

// Undoes the pipeline (in reverse, skipping the filters `filterMask` says were skipped), as
// HDF5 does on read, into the chunk's `chunkBytes` bytes. Thread-safe. Throws std::runtime_error
// (a codecs::CodecError for a corrupt compressed chunk) naming the filter and the cause.
ChunkBytes UndoPipeline(const FilterPipeline& pipeline, uint32_t filterMask, const uint8_t* stored, size_t size,
                        size_t chunkBytes);

// Applies the pipeline in order, as HDF5 does on write. Thread-safe.
// The filtered bytes of the chunk at [data, data + size), which is read, never changed.
ChunkBytes RunPipeline(const FilterPipeline& pipeline, const uint8_t* data, size_t size);

}  // namespace h5dat
