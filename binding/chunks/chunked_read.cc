// Chunk-wise reads: fetch under the lock, unfilter and scatter outside it (see chunked_read.h).
#include "chunks/chunked_read.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#ifndef _WIN32
#include <fcntl.h>
#include <unistd.h>
#endif

#include "chunks/chunked_write.h"
#include "chunks/filter_pool.h"
#include "core/h5_failure.h"
#include "core/hdf5_lock.h"
#include "core/scoped_id.h"

namespace h5dat {
namespace {

// Below this a read is one short H5Dread: planning and threads would cost more than they save.
constexpr size_t kParallelBytes = 256 * 1024;
// Stored bytes fetched per stay under the lock: enough chunks to keep every thread busy, few
// enough that the memory held for them stays small next to the result.
constexpr size_t kBatchBytes = 32 * 1024 * 1024;

// The selection as one region [start, start + count), or false when it is not one block.
bool Region(const Selection& selection, const std::vector<hsize_t>& dims, std::vector<hsize_t>& start,
            std::vector<hsize_t>& count) {
  if (selection.all) {
    start.assign(dims.size(), 0);
    count = dims;
    return true;
  }
  if (!selection.block.empty() || selection.start.size() != dims.size() || selection.count.size() != dims.size()) return false;
  if (std::any_of(selection.stride.begin(), selection.stride.end(), [](hsize_t s) { return s != 1; })) return false;
  start = selection.start;
  count = selection.count;
  for (size_t d = 0; d < dims.size(); d++) {
    if (start[d] + count[d] > dims[d]) return false;  // H5Dread explains it
  }
  return true;
}

}  // namespace

bool ChunkedRead::Plan(hid_t dataset, const Selection& selection, const TypeSpec& memType, const std::string& path) {
  if (memType.HasSlots() || memType.size == 0) return false;
  TypeId fileType(H5Dget_type(dataset));
  if (fileType.get() < 0 || !TypeSpec::Describe(fileType.get()).SameAs(memType)) return false;
  SpaceId space(H5Dget_space(dataset));
  if (space.get() < 0 || H5Sget_simple_extent_type(space.get()) != H5S_SIMPLE) return false;
  int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank <= 0) return false;
  std::vector<hsize_t> dims(rank);
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  if (!ChunkLayout(dataset, chunk_, pipeline_) || chunk_.size() != dims.size()) return false;
  if (!pipeline_.empty() && !CanUndoPipeline(pipeline_)) return false;
  // Unfiltered chunks fetched with H5Dread_chunk into buffers of their own were 7x slower than
  // H5Dread on 1 GiB (P8): they go this way only when they can be read straight into the result.
  if (pipeline_.empty() && !PlanDirect(dataset)) return false;
  if (!Region(selection, dims, start_, count_)) return false;
  elementSize_ = memType.size;
  size_t total = elementSize_;
  chunkBytes_ = elementSize_;
  for (size_t d = 0; d < dims.size(); d++) {
    if (count_[d] == 0) return false;
    total *= count_[d];
    chunkBytes_ *= chunk_[d];
  }
  if (total < kParallelBytes) return false;
  // Every chunk the region touches, row-major; each must be stored (a chunk never written reads
  // as the fill value, which HDF5's own read supplies).
  std::vector<hsize_t> first(rank), offset(rank);
  for (int d = 0; d < rank; d++) first[d] = start_[d] / chunk_[d] * chunk_[d];
  offset = first;
  while (true) {
    unsigned mask = 0;
    haddr_t address = HADDR_UNDEF;
    hsize_t size = 0;
    bool stored = H5Dget_chunk_info_by_coord(dataset, offset.data(), &mask, &address, &size) >= 0 &&
                  address != HADDR_UNDEF && size != 0;
    // A direct read takes an unfiltered chunk's bytes as they lie: all of them, inside the file
    // (a corrupt index pointing past its end is left to H5Dread, which says so).
    if (!stored || (fileCopy_ >= 0 && (size != chunkBytes_ || address + size > fileEnd_))) {
      H5Eclear2(H5E_DEFAULT);
      pieces_.clear();
      return false;
    }
    pieces_.push_back({offset, static_cast<size_t>(size), address});
    int d = rank;
    while (d > 0) {
      d--;
      offset[d] += chunk_[d];
      if (offset[d] < start_[d] + count_[d]) break;
      offset[d] = first[d];
      if (d == 0) {
        path_ = path;
        return true;
      }
    }
  }
}

ChunkedRead::~ChunkedRead() {
#ifndef _WIN32
  if (fileCopy_ >= 0) close(fileCopy_);
#endif
}

bool ChunkedRead::PlanDirect(hid_t dataset) {
#ifdef _WIN32
  (void)dataset;
  return false;
#else
  FileId file(H5Iget_file_id(dataset));
  unsigned intent = 0;
  if (file.get() < 0 || H5Fget_intent(file.get(), &intent) < 0) return false;
  // Only a file no one writes through this library: its chunks stay where the index says.
  if (intent != H5F_ACC_RDONLY) return false;
  PlistId access(H5Fget_access_plist(file.get()));
  if (access.get() < 0 || H5Pget_driver(access.get()) != H5FD_SEC2) return false;
  void* handle = nullptr;
  if (H5Fget_vfd_handle(file.get(), H5P_DEFAULT, &handle) < 0 || !handle) return false;
  // The end of allocation is relative to the file's base (after a user block); chunk addresses
  // are not.
  PlistId creation(H5Fget_create_plist(file.get()));
  hsize_t userBlock = 0;
  if (creation.get() < 0 || H5Pget_userblock(creation.get(), &userBlock) < 0) return false;
  if (H5Fget_eoa(file.get(), &fileEnd_) < 0) return false;
  fileEnd_ += userBlock;
  fileCopy_ = fcntl(*static_cast<int*>(handle), F_DUPFD_CLOEXEC, 0);
  return fileCopy_ >= 0;
#endif
}

void ChunkedRead::ReadAt(haddr_t address, size_t size, uint8_t* into) const {
#ifdef _WIN32
  (void)address, (void)size, (void)into;
  throw std::logic_error("direct chunk reads are not built on Windows");
#else
  while (size > 0) {
    ssize_t got = pread(fileCopy_, into, size, static_cast<off_t>(address));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw std::runtime_error(std::string("cannot read chunk: ") + std::strerror(errno));
    if (got == 0) throw std::runtime_error("cannot read chunk: the file ends before it (truncated?)");
    into += got, address += static_cast<haddr_t>(got), size -= static_cast<size_t>(got);
  }
#endif
}

void ChunkedRead::RunDirect(uint8_t* out) const {
  size_t rank = chunk_.size();
  // A chunk whose trailing axes are the region's is rows that lie as they are in the result.
  bool rowsAsStored = true;
  size_t rowBytes = elementSize_;
  for (size_t d = 1; d < rank; d++) {
    rowsAsStored = rowsAsStored && chunk_[d] == count_[d] && start_[d] % chunk_[d] == 0;
    rowBytes *= chunk_[d];
  }
  FirstFailure failure;
  ParallelFor(pieces_.size(), [&](size_t i) {
    const Piece& piece = pieces_[i];
    if (failure.Failed()) return;
    failure.Capture([&] {
      try {
        if (rowsAsStored) {
          hsize_t lo = std::max(piece.offset[0], start_[0]);
          hsize_t hi = std::min(piece.offset[0] + chunk_[0], start_[0] + count_[0]);
          ReadAt(piece.address + (lo - piece.offset[0]) * rowBytes, (hi - lo) * rowBytes, out + (lo - start_[0]) * rowBytes);
          return;
        }
        std::unique_ptr<uint8_t, decltype(&std::free)> chunk(static_cast<uint8_t*>(std::malloc(chunkBytes_)), &std::free);
        if (!chunk) throw std::bad_alloc();
        ReadAt(piece.address, chunkBytes_, chunk.get());
        Scatter(piece.offset, chunk.get(), out);
      } catch (const std::exception& error) {
        FailChunk(piece, error);
      }
    });
  });
  failure.Rethrow();
}

void ChunkedRead::FailChunk(const Piece& piece, const std::exception& error) const {
  std::string at;
  for (hsize_t o : piece.offset) at += (at.empty() ? "" : ", ") + std::to_string(o);
  FailUsage(std::string("cannot read dataset: ") + error.what() + " (the chunk at [" + at + "])", path_);
}

void ChunkedRead::Run(const Handle& dataset, uint8_t* out) const {
  if (fileCopy_ >= 0) {
    RunDirect(out);
    return;
  }
  struct Fetched {
    std::unique_ptr<uint8_t, decltype(&std::free)> bytes{nullptr, &std::free};
    size_t size = 0;
    uint32_t filterMask = 0;
  };
  for (size_t begin = 0; begin < pieces_.size();) {
    size_t end = begin, bytes = 0;
    while (end < pieces_.size() && (end == begin || bytes + pieces_[end].storedSize <= kBatchBytes)) {
      bytes += pieces_[end++].storedSize;
    }
    std::vector<Fetched> fetched(end - begin);
    {
      H5Lock lock;
      hid_t id = dataset.Id();
      for (size_t i = begin; i < end; i++) {
        Fetched& chunk = fetched[i - begin];
        // Sized again under this stay of the lock: another job may have rewritten the chunk
        // since the plan, and H5Dread_chunk writes whatever is stored now.
        hsize_t size = 0;
        Check(H5Dget_chunk_storage_size(id, pieces_[i].offset.data(), &size), "cannot read chunk of", path_);
        if (size == 0) FailUsage("cannot read dataset: a chunk it had is no longer stored", path_);
        chunk.size = static_cast<size_t>(size);
        chunk.bytes.reset(static_cast<uint8_t*>(std::malloc(chunk.size)));
        if (!chunk.bytes) throw std::bad_alloc();
        Check(H5Dread_chunk(id, H5P_DEFAULT, pieces_[i].offset.data(), &chunk.filterMask, chunk.bytes.get()),
              "cannot read chunk of", path_);
      }
    }
    FirstFailure failure;
    ParallelFor(end - begin, [&](size_t k) {
      const Piece& piece = pieces_[begin + k];
      if (failure.Failed()) return;
      failure.Capture([&] {
        try {
          Fetched& stored = fetched[k];
          if (Unfiltered(stored.filterMask)) {  // scattered from where it was read: no copy
            if (stored.size != chunkBytes_) throw std::runtime_error("corrupt chunk: " + std::to_string(stored.size) + " bytes stored unfiltered where the chunk holds " + std::to_string(chunkBytes_));
            Scatter(piece.offset, stored.bytes.get(), out);
            return;
          }
          ChunkBytes chunk = UndoPipeline(pipeline_, stored.filterMask, stored.bytes.get(), stored.size, chunkBytes_);
          stored.bytes.reset();
          Scatter(piece.offset, chunk.data(), out);
        } catch (const std::exception& error) {
          FailChunk(piece, error);
        }
      });
    });
    failure.Rethrow();
    begin = end;
  }
}

bool ChunkedRead::Unfiltered(uint32_t filterMask) const {
  for (size_t i = 0; i < pipeline_.size(); i++) {
    if (!(filterMask & (1u << i))) return false;
  }
  return true;
}

void ChunkedRead::Scatter(const std::vector<hsize_t>& offset, const uint8_t* chunk, uint8_t* out) const {
  size_t rank = chunk_.size();
  // The part of the region inside this chunk: [lo, hi) in dataset coordinates.
  std::vector<hsize_t> lo(rank), hi(rank);
  for (size_t d = 0; d < rank; d++) {
    lo[d] = std::max(offset[d], start_[d]);
    hi[d] = std::min(offset[d] + chunk_[d], start_[d] + count_[d]);
  }
  size_t run = (hi[rank - 1] - lo[rank - 1]) * elementSize_;
  std::vector<hsize_t> at(lo);
  while (true) {
    size_t from = 0, to = 0;
    for (size_t d = 0; d < rank; d++) {
      from = from * chunk_[d] + (at[d] - offset[d]);
      to = to * count_[d] + (at[d] - start_[d]);
    }
    std::memcpy(out + to * elementSize_, chunk + from * elementSize_, run);
    size_t d = rank - 1;
    while (d > 0) {
      d--;
      if (++at[d] < hi[d]) break;
      at[d] = lo[d];
      if (d == 0) return;
    }
    if (rank == 1) return;
  }
}

}  // namespace h5dat
