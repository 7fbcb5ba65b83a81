// Datasets: create (type, shape, maxshape, chunks, filters, fill value, first data), describe,
// read and write hyperslabs, resize.
#include <algorithm>
#include <cmath>
#include <vector>

#include "chunks/chunked_read.h"
#include "chunks/chunked_write.h"
#include "core/h5_failure.h"
#include "core/handle.h"
#include "core/job.h"
#include "core/operations.h"
#include "core/scoped_id.h"
#include "filters/codecs.h"
#include "hdf5/attribute_write.h"
#include "hdf5/dataset_info.h"
#include "hdf5/external_access.h"
#include "hdf5/object_path.h"
#include "types/dataspace.h"
#include "types/payload.h"
#include "types/read_type.h"

namespace h5dat {
namespace {

struct CreateOptions {
  std::string layout;  // "" (HDF5 decides) | compact | contiguous | chunked
  std::vector<hsize_t> chunks;
  int deflate = -1;
  bool shuffle = false;
  bool fletcher32 = false;
  bool trackTimes = false;
  FilterPipeline codecs;  // h5dat's codecs (filters/codecs.h) with the user's cd_values
};

CreateOptions CreateOptionsFromJs(const Napi::Value& value) {
  CreateOptions options;
  if (!value.IsObject()) return options;
  Napi::Object object = value.As<Napi::Object>();
  if (object.Get("layout").IsString()) options.layout = object.Get("layout").ToString().Utf8Value();
  Shape chunks = ShapeFromJs(object.Get("chunks"));
  if (chunks) options.chunks = *chunks;
  if (object.Get("deflate").IsNumber()) options.deflate = object.Get("deflate").As<Napi::Number>().Int32Value();
  options.shuffle = object.Get("shuffle").ToBoolean();
  options.fletcher32 = object.Get("fletcher32").ToBoolean();
  options.trackTimes = object.Get("trackTimes").ToBoolean();
  if (object.Get("filters").IsArray()) {
    Napi::Array filters = object.Get("filters").As<Napi::Array>();
    for (uint32_t i = 0; i < filters.Length(); i++) {
      Napi::Object filter = filters.Get(i).As<Napi::Object>();
      FilterStep step{static_cast<H5Z_filter_t>(filter.Get("id").As<Napi::Number>().Int32Value()), {}};
      if (!codecs::Runs(step.id)) FailUsage("filter " + std::to_string(step.id) + " is not a codec h5dat has", "");
      Napi::Array values = filter.Get("values").As<Napi::Array>();
      for (uint32_t j = 0; j < values.Length(); j++) step.values.push_back(values.Get(j).As<Napi::Number>().Uint32Value());
      options.codecs.push_back(std::move(step));
    }
  }
  return options;
}

// Filters go in h5py's order (shuffle, compression, fletcher32): the checksum covers stored
// bytes. A codec's cd_values are the ones its set_local will store (the direct chunk writes
// filter with them before the dataset exists).
FilterPipeline PipelineFor(const CreateOptions& options, const TypeSpec& type) {
  FilterPipeline pipeline;
  if (options.shuffle) pipeline.push_back({H5Z_FILTER_SHUFFLE, {static_cast<unsigned>(type.size)}});
  if (options.deflate >= 0) pipeline.push_back({H5Z_FILTER_DEFLATE, {static_cast<unsigned>(options.deflate)}});
  size_t chunkBytes = type.size;
  for (hsize_t extent : options.chunks) chunkBytes *= extent;
  size_t baseSize = !type.dims.empty() && type.base ? type.base->size : type.size;
  for (const FilterStep& codec : options.codecs) {
    pipeline.push_back({codec.id, codecs::LocalValues(codec.id, codec.values, type.size, baseSize, chunkBytes)});
  }
  if (options.fletcher32) pipeline.push_back({H5Z_FILTER_FLETCHER32, {}});
  return pipeline;
}

hid_t CreationList(const CreateOptions& options, const TypeSpec& type, OutgoingData* fill, const std::string& path) {
  PlistId dcpl(Check(H5Pcreate(H5P_DATASET_CREATE), "cannot create dataset property list", path));
  {
    if (!options.chunks.empty()) {
      Check(H5Pset_chunk(dcpl.get(), static_cast<int>(options.chunks.size()), options.chunks.data()), "invalid chunk shape for", path);
    } else if (options.layout == "compact") {
      Check(H5Pset_layout(dcpl.get(), H5D_COMPACT), "cannot set compact layout for", path);
    } else if (options.layout == "contiguous") {
      Check(H5Pset_layout(dcpl.get(), H5D_CONTIGUOUS), "cannot set contiguous layout for", path);
    }
    // A codec gets the user's cd_values, optional as h5py sets them: its set_local completes them.
    size_t codec = 0;
    for (const FilterStep& step : PipelineFor(options, type)) {
      if (step.id == H5Z_FILTER_SHUFFLE) Check(H5Pset_shuffle(dcpl.get()), "cannot set shuffle filter for", path);
      if (step.id == H5Z_FILTER_DEFLATE) Check(H5Pset_deflate(dcpl.get(), step.values[0]), "cannot set deflate filter for", path);
      if (step.id == H5Z_FILTER_FLETCHER32) Check(H5Pset_fletcher32(dcpl.get()), "cannot set fletcher32 filter for", path);
      if (codecs::Runs(step.id)) {
        const std::vector<unsigned>& given = options.codecs[codec++].values;
        Check(H5Pset_filter(dcpl.get(), step.id, H5Z_FLAG_OPTIONAL, given.size(), given.data()),
              std::string("cannot set the ") + codecs::Name(step.id) + " filter for", path);
      }
    }
    H5Pset_obj_track_times(dcpl.get(), options.trackTimes ? 1 : 0);
    if (fill) {
      TypeId fillType(fill->Type().Build());
      Check(H5Pset_fill_value(dcpl.get(), fillType.get(), fill->Bytes(path)), "invalid fill value for", path);
    }
  }
  return dcpl.release();
}

void RequireElementCount(const OutgoingData& data, size_t points, const std::string& path) {
  if (points != data.ElementCount()) {
    FailUsage("data has " + std::to_string(data.ElementCount()) + " elements, the selection " + std::to_string(points), path);
  }
}

size_t ElementCount(const std::vector<hsize_t>& shape) {
  size_t count = 1;
  for (hsize_t dim : shape) count *= dim;
  return count;
}

void WriteData(hid_t dataset, const Selection& selection, OutgoingData& data, const std::string& path) {
  SpaceId fileSpace(Check(H5Dget_space(dataset), "cannot get dataspace of", path));
  SpaceId memSpace(selection.Apply(fileSpace.get(), path));
  hssize_t points = H5Sget_select_npoints(memSpace.get());
  if (H5Sget_simple_extent_type(fileSpace.get()) == H5S_NULL) points = 0;
  RequireElementCount(data, static_cast<size_t>(points), path);
  if (points == 0) return;
  TypeId memType(data.Type().Build());
  Check(H5Dwrite(dataset, memType.get(), memSpace.get(), fileSpace.get(), H5P_DEFAULT, data.Bytes(path, dataset)),
        "cannot write dataset", path);
}

// Plans a direct chunk write of `data` into `selection` when it covers whole chunks, needs no
// type conversion, and the filters are ones h5dat runs itself. Lock held.
bool PlanChunkedWrite(hid_t dataset, const Selection& selection, const OutgoingData& data, ChunkedWrite& chunked,
                      const std::string& path) {
  if (data.Type().HasSlots()) return false;
  if (!selection.all && (!selection.block.empty() || std::any_of(selection.stride.begin(), selection.stride.end(),
                                                                  [](hsize_t s) { return s != 1; }))) {
    return false;
  }
  SpaceId space(Check(H5Dget_space(dataset), "cannot get dataspace of", path));
  Shape dims = SpaceShape(space.get());
  if (!dims || dims->empty()) return false;
  TypeId fileType(Check(H5Dget_type(dataset), "cannot get type of", path));
  if (!TypeSpec::Describe(fileType.get()).SameAs(data.Type())) return false;
  std::vector<hsize_t> chunk;
  FilterPipeline pipeline;
  if (!ChunkLayout(dataset, chunk, pipeline)) return false;
  std::vector<hsize_t> start = selection.all ? std::vector<hsize_t>(dims->size(), 0) : selection.start;
  std::vector<hsize_t> count = selection.all ? *dims : selection.count;
  if (ElementCount(count) != data.ElementCount()) return false;  // WriteData explains the mismatch
  RequireWriteIntent(dataset, path);
  return chunked.Plan(*dims, chunk, data.Type().size, pipeline, start, count);
}

struct Created {
  hid_t id = H5I_INVALID_HID;
  DatasetInfo info;
};

// HDF5 reads what was never written as the fill value, and a corrupt dataspace can claim any
// extent: [4] rows read back as 134 million. Beyond this many bytes of fill a read is refused
// (a real sparse dataset that large reads by slices).
constexpr double kFillReadLimit = 64.0 * (1 << 20);
// ... counting what an element costs once in JS: a variable-length string, even an empty one,
// becomes a C++ string and then a JS string in an array (measured: 2 Mi empty strings of fill
// took 1 GB in `h5dat show`, while their 16-byte slots were 32 MiB, under the limit); a
// sequence or a reference likewise becomes a JS object.
constexpr double kSlotReadCost = 256.0;

// Bytes one element of `type` costs once read (its own size, plus its slots as JS values).
double ReadCost(const TypeSpec& type) {
  size_t slots = 0;
  if (type.HasSlots()) type.ForEachSlot(0, [&](size_t, const TypeSpec&) { slots++; });
  return static_cast<double>(type.size) + kSlotReadCost * static_cast<double>(slots);
}

// Elements of `dataset` its stored data can hold: allocated chunks × chunk size, or the
// contiguous storage. Unbounded for compact and virtual layouts. Lock held.
double StoredElements(hid_t dataset, const std::string& path) {
  PlistId dcpl(Check(H5Dget_create_plist(dataset), "cannot get creation list of", path));
  switch (H5Pget_layout(dcpl.get())) {
    case H5D_CHUNKED: {
      int rank = Check(H5Pget_chunk(dcpl.get(), 0, nullptr), "cannot get chunk shape of", path);
      std::vector<hsize_t> chunk(rank);
      H5Pget_chunk(dcpl.get(), rank, chunk.data());
      SpaceId space(Check(H5Dget_space(dataset), "cannot get dataspace of", path));
      hsize_t chunks = 0;
      Check(H5Dget_num_chunks(dataset, space.get(), &chunks), "cannot count chunks of", path);
      double elements = static_cast<double>(chunks);
      for (hsize_t dim : chunk) elements *= static_cast<double>(dim);
      return elements;
    }
    case H5D_CONTIGUOUS: {
      TypeId type(Check(H5Dget_type(dataset), "cannot get type of", path));
      size_t size = H5Tget_size(type.get());
      return size ? static_cast<double>(H5Dget_storage_size(dataset)) / static_cast<double>(size) : 0;
    }
    default:
      return INFINITY;
  }
}

// Refuses a read of `points` elements of `elementSize` bytes that would be mostly fill values.
// Only big reads pay for the count of stored chunks. Lock held.
void RequireStoredData(hid_t dataset, size_t points, const TypeSpec& type, const std::string& path) {
  double cost = ReadCost(type);
  if (static_cast<double>(points) * cost <= kFillReadLimit) return;
  double stored = StoredElements(dataset, path);
  double unstored = static_cast<double>(points) - stored;
  if (unstored * cost > kFillReadLimit) {
    FailUsage("reading " + std::to_string(points) + " elements, but the stored data holds at most " +
                  std::to_string(static_cast<unsigned long long>(stored)) +
                  ": the rest would be fill values (a corrupt shape? read a slice instead)",
              path);
  }
}

// datasetCreate(loc, name, type, shape, maxshape, options, fill?, data?, attrs?) → { handle, info };
// attrs as attrWriteMany takes them. Any failure removes the dataset again: none is left half made.
Job DatasetCreate(const Napi::CallbackInfo& info) {
  Job job;
  Handle* loc = PinnedHandle(job, info[0]);
  std::string name = info[1].ToString().Utf8Value();
  TypeSpec type = TypeSpec::FromJs(info[2]);
  Shape shape = ShapeFromJs(info[3]);
  Shape maxShape = info[4].IsNull() || info[4].IsUndefined() ? Shape() : ShapeFromJs(info[4]);
  CreateOptions options = CreateOptionsFromJs(info[5]);
  auto fill = info[6].IsObject() ? std::make_shared<OutgoingData>(OutgoingData::FromJs(info[6], job.pins)) : nullptr;
  auto data = info[7].IsObject() ? std::make_shared<OutgoingData>(OutgoingData::FromJs(info[7], job.pins)) : nullptr;
  bool hasMax = !(info[4].IsNull() || info[4].IsUndefined());
  // Attributes of the new dataset, written in this job: no second round trip for them.
  auto attrs = std::make_shared<std::vector<AttrWriteSpec>>(
      info[8].IsArray() ? AttrWriteSpecsFromJs(info[8].As<Napi::Array>(), job.pins) : std::vector<AttrWriteSpec>());
  auto created = std::make_shared<Created>();
  // Whole-dataset data in a chunked layout with filters h5dat runs itself: filter it first,
  // outside the HDF5 lock, then store the chunks directly.
  auto chunked = std::make_shared<ChunkedWrite>();
  bool direct = data && !options.chunks.empty() && shape && !shape->empty() && !type.HasSlots() &&
                type.SameAs(data->Type()) && data->ElementCount() == ElementCount(*shape) &&
                chunked->Plan(*shape, options.chunks, type.size, PipelineFor(options, type),
                              std::vector<hsize_t>(shape->size(), 0), *shape);
  if (direct) {
    job.Unlocked([chunked, data, name]() { chunked->Filter(static_cast<const uint8_t*>(data->Bytes(name))); });
  }
  job.Locked([=]() {
    std::string where = JoinPath(loc->Path(), name);
    TypeId fileType(type.Build());
    SpaceId space(CreateSpace(shape, hasMax ? maxShape : Shape(), where));
    PlistId dcpl(CreationList(options, type, fill.get(), where));
    PlistId lcpl(LinkCreationList());
    hid_t id = H5Dcreate2(loc->Id(), name.c_str(), fileType.get(), space.get(), lcpl.get(), dcpl.get(), H5P_DEFAULT);
    Check(id, "cannot create dataset", where);
    created->id = id;
    try {
      if (direct) {
        chunked->Store(id, where);
      } else if (data) {
        WriteData(id, Selection(), *data, where);
      }
      for (const AttrWriteSpec& attr : *attrs) WriteAttr(id, where, attr, /*mayExist=*/false);
      created->info = DescribeDataset(id, where);
      loc->File()->objects.insert(id);
    } catch (...) {
      // A half-made dataset would hide the error on the next try: take it away again.
      H5Dclose(id);
      created->id = H5I_INVALID_HID;
      H5Ldelete(loc->Id(), name.c_str(), H5P_DEFAULT);
      H5Eclear2(H5E_DEFAULT);
      throw;
    }
  });
  job.done = [loc, created](Napi::Env env) -> Napi::Value {
    Napi::Object result = Napi::Object::New(env);
    result.Set("handle", Handle::New(env, created->id, loc->File(), created->info.path, HandleKind::Dataset));
    result.Set("info", created->info.ToJs(env));
    return result;
  };
  return job;
}

Job DatasetDescribe(const Napi::CallbackInfo& info) {
  Job job;
  Handle* dataset = PinnedHandle(job, info[0]);
  auto described = std::make_shared<DatasetInfo>();
  job.Locked([dataset, described]() { *described = DescribeDataset(dataset->Id(), dataset->Path()); });
  job.done = [described](Napi::Env env) { return described->ToJs(env); };
  return job;
}

// datasetRead(dataset, selection?, options?) → { type, bytes, strings?, sequences?, references?, shape };
// options: { rawFloat16? }.
Job DatasetRead(const Napi::CallbackInfo& info) {
  Job job;
  Handle* dataset = PinnedHandle(job, info[0]);
  Selection selection = Selection::FromJs(info[1]);
  ReadOptions options = ReadOptionsFromJs(info[2]);
  auto incoming = std::make_shared<IncomingData>();
  auto shape = std::make_shared<Shape>();
  // Chunked, filtered data h5dat unfilters itself is read chunk by chunk, decompressed on
  // several threads outside the HDF5 lock (see chunked_read.h); the rest by H5Dread.
  auto chunked = std::make_shared<ChunkedRead>();
  auto parallel = std::make_shared<bool>(false);
  job.Locked([dataset, selection, options, incoming, shape, chunked, parallel]() {
    hid_t id = dataset->Id();
    const std::string& path = dataset->Path();
    TypeId fileType(Check(H5Dget_type(id), "cannot get type of", path));
    TypeId memType(MemoryType(fileType.get(), options, path));
    TypeSpec memSpec = TypeSpec::Describe(memType.get());
    RequireOwnStorage(id, *dataset->File(), path);
    SpaceId fileSpace(Check(H5Dget_space(id), "cannot get dataspace of", path));
    SpaceId memSpace(selection.Apply(fileSpace.get(), path));
    *shape = SpaceShape(memSpace.get());
    hssize_t points = *shape ? H5Sget_select_npoints(memSpace.get()) : 0;
    if (points > 0) RequireStoredData(id, static_cast<size_t>(points), memSpec, path);
    incoming->Allocate(memSpec, static_cast<size_t>(points), path);
    if (points == 0) return;
    *parallel = chunked->Plan(id, selection, memSpec, path);
    if (*parallel) return;
    Check(H5Dread(id, memType.get(), memSpace.get(), fileSpace.get(), H5P_DEFAULT, incoming->Bytes()),
          "cannot read dataset", path);
    incoming->TakeSlots(memType.get(), memSpace.get(), id, path);
  });
  job.Unlocked([dataset, incoming, chunked, parallel]() {
    if (*parallel) chunked->Run(*dataset, static_cast<uint8_t*>(incoming->Bytes()));
  });
  job.done = [incoming, shape](Napi::Env env) -> Napi::Value {
    Napi::Object result = incoming->ToJs(env);
    result.Set("shape", ShapeToJs(env, *shape));
    return result;
  };
  return job;
}

// datasetWrite(dataset, selection?, data, chunked?). Writes of whole chunks that need no type
// conversion are filtered outside the HDF5 lock and stored directly, each chunk as soon as it is
// filtered (see chunked_write.h);
// `chunked` (the caller knows the layout) saves other writes the planning.
Job DatasetWrite(const Napi::CallbackInfo& info) {
  Job job;
  Handle* dataset = PinnedHandle(job, info[0]);
  Selection selection = Selection::FromJs(info[1]);
  bool chunkedLayout = info[3].ToBoolean();
  auto data = std::make_shared<OutgoingData>(OutgoingData::FromJs(info[2], job.pins));
  auto chunked = std::make_shared<ChunkedWrite>();
  auto direct = std::make_shared<bool>(false);
  job.Locked([dataset, selection, data, chunked, direct, chunkedLayout]() {
    hid_t id = dataset->Id();
    const std::string& path = dataset->Path();
    *direct = chunkedLayout && PlanChunkedWrite(id, selection, *data, *chunked, path);
    if (!*direct) WriteData(id, selection, *data, path);
  });
  job.Unlocked([dataset, data, chunked, direct]() {
    if (*direct) chunked->FilterAndStore(static_cast<const uint8_t*>(data->Bytes(dataset->Path())), *dataset);
  });
  return job;
}

// datasetResize(dataset, shape) → info
Job DatasetResize(const Napi::CallbackInfo& info) {
  Job job;
  Handle* dataset = PinnedHandle(job, info[0]);
  Shape shape = ShapeFromJs(info[1]);
  if (!shape) throw Napi::TypeError::New(info.Env(), "resize needs a shape");
  auto described = std::make_shared<DatasetInfo>();
  job.Locked([dataset, shape, described]() {
    Check(H5Dset_extent(dataset->Id(), shape->data()), "cannot resize dataset", dataset->Path());
    *described = DescribeDataset(dataset->Id(), dataset->Path());
  });
  job.done = [described](Napi::Env env) { return described->ToJs(env); };
  return job;
}

// datasetStoredElements(dataset) → the elements its stored data can hold (StoredElements; null
// for compact, virtual and external data, which is not judged by its own storage). Export asks it
// before reading a table in blocks: each block is a small read, but a corrupt shape claiming
// millions of rows more than are stored would write them all as fill.
Job DatasetStoredElements(const Napi::CallbackInfo& info) {
  Job job;
  Handle* dataset = PinnedHandle(job, info[0]);
  auto stored = std::make_shared<double>(0);
  job.Locked([dataset, stored]() { *stored = StoredElements(dataset->Id(), dataset->Path()); });
  job.done = [stored](Napi::Env env) -> Napi::Value {
    if (std::isinf(*stored)) return env.Null();
    return Napi::Number::New(env, *stored);
  };
  return job;
}

}  // namespace

void InitDataset(Napi::Env env, Napi::Object exports) {
  ExportJobs(env, exports, {{"datasetCreate", DatasetCreate}, {"datasetDescribe", DatasetDescribe},
                            {"datasetRead", DatasetRead}, {"datasetWrite", DatasetWrite},
                            {"datasetResize", DatasetResize}, {"datasetStoredElements", DatasetStoredElements}});
}

}  // namespace h5dat
