// Direct chunk I/O: stored chunk bytes in and out as they are on disk (already filtered), with
// the filter mask, bypassing HDF5's filter pipeline. This is what lets compression run in
// parallel elsewhere while HDF5 calls stay serialized.
#include <cstdlib>
#include <vector>

#include "chunks/chunked_write.h"
#include "core/h5_failure.h"
#include "core/handle.h"
#include "core/job.h"
#include "core/operations.h"
#include "core/scoped_id.h"
#include "types/dataspace.h"

namespace h5dat {
namespace {

std::vector<hsize_t> OffsetFromJs(const Napi::Value& value) {
  Shape offset = ShapeFromJs(value);
  if (!offset) throw Napi::TypeError::New(value.Env(), "chunk offset must be an array");
  return *offset;
}

void RequireChunkOffset(hid_t dataset, const std::vector<hsize_t>& offset, const std::string& path) {
  PlistId plist(Check(H5Dget_create_plist(dataset), "cannot get creation list of", path));
  hid_t dcpl = plist.get();
  int rank = H5Pget_layout(dcpl) == H5D_CHUNKED ? H5Pget_chunk(dcpl, 0, nullptr) : -1;
  std::vector<hsize_t> chunk(rank > 0 ? rank : 0);
  if (rank > 0) H5Pget_chunk(dcpl, rank, chunk.data());
  if (rank < 0) FailUsage("direct chunk I/O needs a chunked dataset", path);
  if (offset.size() != static_cast<size_t>(rank)) FailUsage("chunk offset has the wrong number of dimensions", path);
  for (int i = 0; i < rank; i++) {
    if (offset[i] % chunk[i] != 0) FailUsage("chunk offset is not on a chunk boundary", path);
  }
}

struct ChunkBytes {
  uint32_t filterMask = 0;
  uint8_t* bytes = nullptr;
  size_t length = 0;
  ~ChunkBytes() { std::free(bytes); }
};

// chunkRead(dataset, offset) → { filterMask, bytes }
Job ChunkRead(const Napi::CallbackInfo& info) {
  Job job;
  Handle* dataset = PinnedHandle(job, info[0]);
  std::vector<hsize_t> offset = OffsetFromJs(info[1]);
  auto chunk = std::make_shared<ChunkBytes>();
  job.Locked([dataset, offset, chunk]() {
    hid_t id = dataset->Id();
    RequireChunkOffset(id, offset, dataset->Path());
    hsize_t size = 0;
    Check(H5Dget_chunk_storage_size(id, offset.data(), &size), "no stored chunk in", dataset->Path());
    if (size == 0) FailUsage("the chunk at this offset is not stored", dataset->Path());
    // The size comes from the chunk index: in a corrupt file it can exceed the file itself.
    hid_t file = Check(H5Iget_file_id(id), "cannot get the file of", dataset->Path());
    hsize_t fileSize = 0;
    herr_t status = H5Fget_filesize(file, &fileSize);
    H5Fclose(file);
    Check(status, "cannot get the size of the file of", dataset->Path());
    if (size > fileSize) {
      FailUsage("the chunk index says " + std::to_string(size) + " bytes, more than the file's " + std::to_string(fileSize),
                dataset->Path());
    }
    chunk->bytes = static_cast<uint8_t*>(std::malloc(size));
    if (!chunk->bytes) FailUsage("out of memory allocating " + std::to_string(size) + " bytes", dataset->Path());
    chunk->length = size;
    Check(H5Dread_chunk(id, H5P_DEFAULT, offset.data(), &chunk->filterMask, chunk->bytes), "cannot read chunk of",
          dataset->Path());
  });
  job.done = [chunk](Napi::Env env) -> Napi::Value {
    Napi::Object result = Napi::Object::New(env);
    result.Set("filterMask", chunk->filterMask);
    uint8_t* bytes = chunk->bytes;
    chunk->bytes = nullptr;
    result.Set("bytes", Napi::Buffer<uint8_t>::New(env, bytes, chunk->length, [](Napi::Env, uint8_t* data) { std::free(data); }));
    return result;
  };
  return job;
}

// chunkWrite(dataset, offset, filterMask, bytes)
Job ChunkWrite(const Napi::CallbackInfo& info) {
  Handle* dataset = Handle::From(info[0]);
  std::vector<hsize_t> offset = OffsetFromJs(info[1]);
  uint32_t filterMask = info[2].ToNumber().Uint32Value();
  if (!info[3].IsTypedArray()) throw Napi::TypeError::New(info.Env(), "chunk bytes must be a Uint8Array");
  Napi::TypedArray view = info[3].As<Napi::TypedArray>();
  const uint8_t* bytes = static_cast<const uint8_t*>(view.ArrayBuffer().Data()) + view.ByteOffset();
  size_t length = view.ByteLength();
  Job job;
  job.pins = {info[0], info[3]};
  job.Locked([dataset, offset, filterMask, bytes, length]() {
    hid_t id = dataset->Id();
    RequireChunkOffset(id, offset, dataset->Path());
    RequireWriteIntent(id, dataset->Path());
    Check(H5Dwrite_chunk(id, H5P_DEFAULT, filterMask, offset.data(), length, bytes), "cannot write chunk of",
          dataset->Path());
  });
  return job;
}

struct StoredChunk {
  std::vector<hsize_t> offset;
  unsigned filterMask;
  hsize_t size;
};

// chunkList(dataset) → [{ offset, filterMask, size }] for every stored chunk.
Job ChunkList(const Napi::CallbackInfo& info) {
  Job job;
  Handle* dataset = PinnedHandle(job, info[0]);
  auto chunks = std::make_shared<std::vector<StoredChunk>>();
  job.Locked([dataset, chunks]() {
    hid_t id = dataset->Id();
    SpaceId space(Check(H5Dget_space(id), "cannot get dataspace of", dataset->Path()));
    hsize_t count = 0;
    Check(H5Dget_num_chunks(id, space.get(), &count), "cannot count chunks of", dataset->Path());
    int rank = H5Sget_simple_extent_ndims(space.get());
    for (hsize_t i = 0; i < count; i++) {
      StoredChunk chunk;
      chunk.offset.resize(rank > 0 ? rank : 0);
      haddr_t address;
      Check(H5Dget_chunk_info(id, space.get(), i, chunk.offset.data(), &chunk.filterMask, &address, &chunk.size),
            "cannot get chunk info of", dataset->Path());
      chunks->push_back(std::move(chunk));
    }
  });
  job.done = [chunks](Napi::Env env) -> Napi::Value {
    Napi::Array array = Napi::Array::New(env, chunks->size());
    for (size_t i = 0; i < chunks->size(); i++) {
      Napi::Object chunk = Napi::Object::New(env);
      chunk.Set("offset", ShapeToJs(env, Shape((*chunks)[i].offset)));
      chunk.Set("filterMask", (*chunks)[i].filterMask);
      chunk.Set("size", static_cast<double>((*chunks)[i].size));
      array.Set(i, chunk);
    }
    return array;
  };
  return job;
}

}  // namespace

void InitChunk(Napi::Env env, Napi::Object exports) {
  ExportJobs(env, exports, {{"chunkRead", ChunkRead}, {"chunkWrite", ChunkWrite}, {"chunkList", ChunkList}});
}

}  // namespace h5dat
