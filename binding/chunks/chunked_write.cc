// Whole-chunk writes: filter outside the lock, store under it (see chunked_write.h).
#include "chunks/chunked_write.h"

#include <algorithm>
#include <cstring>
#include <mutex>

#include "chunks/filter_pool.h"
#include "core/h5_failure.h"
#include "core/hdf5_lock.h"
#include "core/scoped_id.h"

namespace h5dat {
namespace {
constexpr size_t kParallelBytes = 256 * 1024;
}

bool ChunkedWrite::Plan(std::vector<hsize_t> dims, std::vector<hsize_t> chunk, size_t elementSize,
                        FilterPipeline pipeline, std::vector<hsize_t> start, std::vector<hsize_t> count) {
  size_t rank = dims.size();
  if (rank == 0 || chunk.size() != rank || start.size() != rank || count.size() != rank) return false;
  if (!CanRunPipeline(pipeline) || elementSize == 0) return false;
  for (size_t d = 0; d < rank; d++) {
    if (count[d] == 0 || chunk[d] == 0) return false;
    bool startsOnChunk = start[d] % chunk[d] == 0;
    bool endsOnChunk = count[d] % chunk[d] == 0 || start[d] + count[d] == dims[d];
    if (!startsOnChunk || !endsOnChunk || start[d] + count[d] > dims[d]) return false;
  }
  dims_ = std::move(dims);
  chunk_ = std::move(chunk);
  elementSize_ = elementSize;
  pipeline_ = std::move(pipeline);
  start_ = std::move(start);
  count_ = std::move(count);
  // Unfiltered chunks are only worth storing directly when no copy is needed to cut them out;
  // otherwise H5Dwrite does the same work.
  if (pipeline_.empty() && !ContiguousChunks()) return false;
  // Every chunk offset in the region, row-major.
  std::vector<hsize_t> offset(start_);
  while (true) {
    pieces_.push_back({offset, {}});
    size_t d = rank;
    while (d > 0) {
      d--;
      offset[d] += chunk_[d];
      if (offset[d] < start_[d] + count_[d]) break;
      offset[d] = start_[d];
      if (d == 0) return true;
    }
  }
}

ChunkBytes ChunkedWrite::Cut(const uint8_t* data, const std::vector<hsize_t>& offset) const {
  size_t rank = chunk_.size();
  size_t chunkElements = 1;
  for (hsize_t c : chunk_) chunkElements *= c;
  ChunkBytes out(chunkElements * elementSize_);
  out.resize(chunkElements * elementSize_);
  std::vector<hsize_t> valid(rank);
  bool edge = false;
  for (size_t d = 0; d < rank; d++) {
    valid[d] = std::min(chunk_[d], start_[d] + count_[d] - offset[d]);
    edge = edge || valid[d] < chunk_[d];
  }
  // Parts of an edge chunk beyond the region are zeros: they lie outside the dataset's extent.
  if (edge) std::memset(out.data(), 0, out.size());
  // Trailing axes the chunk spans as the region does are one run of bytes in both: an image's
  // [H, W, 3] chunk is one copy, not H·W copies of 3 bytes (that was 1.3 ms per 600×400 image).
  size_t inner = rank - 1;
  size_t run = valid[inner] * elementSize_;
  while (inner > 0 && valid[inner] == chunk_[inner] && chunk_[inner] == count_[inner]) {
    inner--;
    run *= valid[inner];
  }
  std::vector<hsize_t> index(rank, 0);  // position inside the chunk; axes from `inner` on stay 0
  while (true) {
    size_t src = 0, dst = 0;
    for (size_t d = 0; d < rank; d++) {
      src = src * count_[d] + (offset[d] - start_[d] + index[d]);
      dst = dst * chunk_[d] + index[d];
    }
    std::memcpy(out.data() + dst * elementSize_, data + src * elementSize_, run);
    size_t d = inner;
    while (d > 0) {
      d--;
      if (++index[d] < valid[d]) break;
      index[d] = 0;
      if (d == 0) return out;
    }
    if (inner == 0) return out;
  }
}

const uint8_t* ChunkedWrite::InPlace(const uint8_t* data, const Piece& piece, size_t& size) const {
  if (!ContiguousChunks()) return nullptr;
  size_t rowBytes = elementSize_;
  for (size_t d = 1; d < chunk_.size(); d++) rowBytes *= chunk_[d];
  hsize_t rows = std::min(chunk_[0], start_[0] + count_[0] - piece.offset[0]);
  if (rows != chunk_[0]) return nullptr;  // an edge chunk is stored whole: it needs padding
  size = rows * rowBytes;
  return data + (piece.offset[0] - start_[0]) * rowBytes;
}

bool ChunkedWrite::ContiguousChunks() const {
  for (size_t d = 1; d < chunk_.size(); d++) {
    if (chunk_[d] != dims_[d] || start_[d] != 0 || count_[d] != dims_[d]) return false;
  }
  return true;
}

void ChunkedWrite::FilterPiece(const uint8_t* data, Piece& piece) const try {
  size_t size = 0;
  const uint8_t* whole = InPlace(data, piece, size);
  if (pipeline_.empty()) {
    piece.source = whole;
    piece.sourceSize = size;
    if (!whole) piece.bytes = Cut(data, piece.offset);
  } else if (whole) {
    // A chunk lying whole in the caller's buffer is filtered from there, without a copy.
    piece.bytes = RunPipeline(pipeline_, whole, size);
  } else {
    ChunkBytes cut = Cut(data, piece.offset);
    piece.bytes = RunPipeline(pipeline_, cut.data(), cut.size());
  }
} catch (const std::exception& e) {
  FailUsage(std::string("cannot filter chunk: ") + e.what(), "");
}

bool ChunkedWrite::Parallel() const {
  // Waking pool threads costs about as much as filtering a small chunk: small writes stay on
  // this thread (their parallelism comes from other jobs running at the same time).
  size_t chunkBytes = elementSize_;
  for (hsize_t c : chunk_) chunkBytes *= c;
  return !pipeline_.empty() && pieces_.size() * chunkBytes >= kParallelBytes;
}

void ChunkedWrite::Filter(const uint8_t* data) {
  FirstFailure failure;
  auto filterOne = [&](size_t i) { failure.Capture([&] { FilterPiece(data, pieces_[i]); }); };
  if (Parallel()) {
    ParallelFor(pieces_.size(), filterOne);
  } else {
    for (size_t i = 0; i < pieces_.size(); i++) filterOne(i);
  }
  failure.Rethrow();
}

void ChunkedWrite::StorePiece(hid_t dataset, const std::string& path, Piece& piece) {
  const uint8_t* bytes = piece.source ? piece.source : piece.bytes.data();
  size_t size = piece.source ? piece.sourceSize : piece.bytes.size();
  Check(H5Dwrite_chunk(dataset, H5P_DEFAULT, 0, piece.offset.data(), size, bytes), "cannot write chunk of", path);
  piece.bytes = ChunkBytes();  // stored: its memory is not needed until the write ends
}

void ChunkedWrite::Store(hid_t dataset, const std::string& path) {
  for (Piece& piece : pieces_) StorePiece(dataset, path, piece);
}

void ChunkedWrite::FilterAndStore(const uint8_t* data, const Handle& dataset) {
  if (!Parallel()) {
    Filter(data);
    H5Lock lock;
    Store(dataset.Id(), dataset.Path());
    return;
  }
  // Chunks are stored in order (the file's layout does not depend on thread timing) by whichever
  // thread finds the next one filtered and nobody storing; the other threads go on filtering.
  FirstFailure failure;
  std::mutex mutex;
  std::vector<bool> filtered(pieces_.size(), false);
  size_t next = 0;
  bool storing = false;
  ParallelFor(pieces_.size(), [&](size_t i) {
    if (!failure.Failed()) failure.Capture([&] { FilterPiece(data, pieces_[i]); });
    {
      std::lock_guard<std::mutex> guard(mutex);
      filtered[i] = true;
      if (storing) return;  // the thread storing takes this piece when it comes to it
      storing = true;
    }
    while (true) {
      size_t begin, end;
      {
        std::lock_guard<std::mutex> guard(mutex);
        begin = end = next;
        while (end < pieces_.size() && filtered[end]) end++;
        next = end;
        if (begin == end || failure.Failed()) {
          storing = false;
          return;
        }
      }
      failure.Capture([&] {
        H5Lock lock;
        for (size_t k = begin; k < end; k++) StorePiece(dataset.Id(), dataset.Path(), pieces_[k]);
      });
    }
  });
  failure.Rethrow();
}

void RequireWriteIntent(hid_t dataset, const std::string& path) {
  FileId file(Check(H5Iget_file_id(dataset), "cannot get the file of", path));
  unsigned intent = 0;
  Check(H5Fget_intent(file.get(), &intent), "cannot get the open mode of the file of", path);
  if (!(intent & H5F_ACC_RDWR)) FailUsage("cannot write " + path + ": its file is open read-only", path);
}

bool ChunkLayout(hid_t dataset, std::vector<hsize_t>& chunk, FilterPipeline& pipeline) {
  PlistId dcpl(H5Dget_create_plist(dataset));
  if (dcpl.get() < 0 || H5Pget_layout(dcpl.get()) != H5D_CHUNKED) return false;
  int rank = H5Pget_chunk(dcpl.get(), 0, nullptr);
  if (rank <= 0) return false;
  chunk.resize(rank);
  H5Pget_chunk(dcpl.get(), rank, chunk.data());
  int filters = H5Pget_nfilters(dcpl.get());
  for (int i = 0; i < filters; i++) {
    unsigned flags, config, values[16];
    size_t count = 16;
    H5Z_filter_t id = H5Pget_filter2(dcpl.get(), static_cast<unsigned>(i), &flags, &count, values, 0, nullptr, &config);
    pipeline.push_back({id, std::vector<unsigned>(values, values + std::min<size_t>(count, 16))});
  }
  return true;
}

}  // namespace h5dat
