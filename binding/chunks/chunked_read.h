#pragma once
// A read of whole or partial chunks done as HDF5 would, but in two halves: the stored chunks
// are fetched with H5Dread_chunk in short stays under the HDF5 lock, then their filters are
// undone and their elements scattered into the result on several threads without it. This is
// what lets decompression use every core (HDF5's own read inflates one chunk after another
// inside the lock). Reads that do not fit (type conversion, variable-length values, a chunk not
// stored, filters h5dat does not run: chunks/chunk_filters.h) go the ordinary H5Dread way.
// Unfiltered chunks of a file opened read-only are read straight from the file into the result
// with pread on several threads (nothing in such a file can move them); in a writable file they
// go the H5Dread way too, which copies them into the result as well.
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
  ChunkedRead() = default;
  ChunkedRead(const ChunkedRead&) = delete;
  ChunkedRead& operator=(const ChunkedRead&) = delete;
  ~ChunkedRead();

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
    haddr_t address = 0;          // where the chunk starts in the file (direct reads)
  };
  // Plans a direct read of unfiltered chunks; false when the file is not one it can read so.
  bool PlanDirect(hid_t dataset);
  // Reads the unfiltered chunks with pread from `fileCopy_`, on several threads.
  void RunDirect(uint8_t* out) const;
  // Reads `size` bytes at `address` of the file into `into`, or fails naming the cause.
  void ReadAt(haddr_t address, size_t size, uint8_t* into) const;
  // Whether a chunk stored with `filterMask` skipped every filter (or there are none).
  bool Unfiltered(uint32_t filterMask) const;
  // Copies the part of the chunk at `offset` (its decoded bytes) inside the region into `out`.
  void Scatter(const std::vector<hsize_t>& offset, const uint8_t* chunk, uint8_t* out) const;
  // Fails the read with `error`, naming the chunk it happened in.
  [[noreturn]] void FailChunk(const Piece& piece, const std::exception& error) const;

  std::vector<hsize_t> chunk_, start_, count_;
  size_t elementSize_ = 0;
  size_t chunkBytes_ = 0;
  FilterPipeline pipeline_;
  std::vector<Piece> pieces_;
  std::string path_;
  // A duplicate of the file's descriptor for direct reads (-1: none): it stays valid however
  // HDF5 closes the file meanwhile.
  int fileCopy_ = -1;
  haddr_t fileEnd_ = 0;  // the file's end of allocation, where every chunk must end before
};

}  // namespace h5dat
