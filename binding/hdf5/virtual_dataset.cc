// Virtual datasets: a dataset whose values are other datasets', mapped block by block and read
// through them, never copied. virtualDatasetCreate makes one whose blocks are whole source
// datasets (how `h5dat merge` stitches shard files along axis 0); virtualSources reads a
// dataset's mappings back.
#include <algorithm>
#include <cmath>
#include <vector>

#include "core/h5_failure.h"
#include "core/handle.h"
#include "core/job.h"
#include "core/operations.h"
#include "core/scoped_id.h"
#include "hdf5/dataset_info.h"
#include "hdf5/object_path.h"
#include "types/dataspace.h"
#include "types/payload.h"
#include "types/type_spec.h"

namespace h5dat {
namespace {

using DatasetId = ScopedId<H5Dclose>;

// One mapping: the block of the virtual dataset at `start` of extent `shape` is the whole of
// `dataset` in `file` ("." for the virtual dataset's own file).
struct VirtualSource {
  std::string file, dataset;
  std::vector<double> start, shape;  // double: an unlimited mapping's extent reads as Infinity
};

std::vector<double> IndexesFromJs(const Napi::Object& source, const char* key, size_t rank) {
  Napi::Env env = source.Env();
  Napi::Value value = source.Get(key);
  if (!value.IsArray() || value.As<Napi::Array>().Length() != rank) {
    throw Napi::TypeError::New(env, "a virtual source's " + std::string(key) + " must have one index per axis (" +
                                        std::to_string(rank) + ")");
  }
  Napi::Array array = value.As<Napi::Array>();
  std::vector<double> indexes;
  for (uint32_t i = 0; i < rank; i++) {
    Napi::Value item = array.Get(i);
    double number = item.IsNumber() ? item.As<Napi::Number>().DoubleValue() : -1;
    // 2^53: the largest a double holds exactly, far past any real extent.
    if (!(number >= 0 && number <= 9007199254740992.0) || number != static_cast<double>(static_cast<hsize_t>(number))) {
      throw Napi::RangeError::New(env, "a virtual source's " + std::string(key) + " holds a negative or non-integer index");
    }
    indexes.push_back(number);
  }
  return indexes;
}

// The sources as JS gave them. The rank is checked here, on the JS thread: a mapping of another
// rank would make HDF5 read past the ends of start/shape.
std::vector<VirtualSource> SourcesFromJs(const Napi::Value& value, size_t rank) {
  Napi::Env env = value.Env();
  if (!value.IsArray()) throw Napi::TypeError::New(env, "virtual sources must be an array");
  Napi::Array array = value.As<Napi::Array>();
  std::vector<VirtualSource> sources;
  for (uint32_t i = 0; i < array.Length(); i++) {
    Napi::Value item = array.Get(i);
    if (!item.IsObject()) throw Napi::TypeError::New(env, "a virtual source must be { file, dataset, start, shape }");
    Napi::Object object = item.As<Napi::Object>();
    if (!object.Get("file").IsString() || !object.Get("dataset").IsString()) {
      throw Napi::TypeError::New(env, "a virtual source needs a file and a dataset name");
    }
    sources.push_back({object.Get("file").ToString().Utf8Value(), object.Get("dataset").ToString().Utf8Value(),
                       IndexesFromJs(object, "start", rank), IndexesFromJs(object, "shape", rank)});
  }
  return sources;
}

std::vector<hsize_t> Dims(const std::vector<double>& values) { return std::vector<hsize_t>(values.begin(), values.end()); }

std::string DimsText(const std::vector<hsize_t>& dims) {
  std::string text = "[";
  for (size_t i = 0; i < dims.size(); i++) text += (i ? ", " : "") + std::to_string(dims[i]);
  return text + "]";
}

// HDF5 reads a '%' in a source name as a pattern ("%b" numbers the blocks of an unlimited
// mapping) and fails on any other; a literal one is stored as "%%".
std::string EscapePercent(const std::string& name) {
  std::string escaped;
  for (char c : name) escaped += c == '%' ? std::string("%%") : std::string(1, c);
  return escaped;
}

std::string UnescapePercent(const std::string& name) {
  std::string plain;
  for (size_t i = 0; i < name.size(); i++) {
    plain += name[i];
    if (name[i] == '%' && i + 1 < name.size() && name[i + 1] == '%') i++;
  }
  return plain;
}

// Where a reader finds a relative source name: HDF5 (1.10 as 1.14, H5F_prefix_open_file) looks
// in the virtual dataset's own file's directory before the working directory, so a master file
// and its shards read from anywhere once they move together. The check looks there too.
std::string SourcePath(const std::string& masterPath, const std::string& file) {
  if (!file.empty() && file[0] == '/') return file;
  size_t slash = masterPath.rfind('/');
  return slash == std::string::npos ? file : masterPath.substr(0, slash + 1) + file;
}

// Fails unless `source` names a dataset that exists now, of the mapped shape, whose type HDF5
// converts to `type`. HDF5 itself looks at no source until a read, which then fails on a wrong
// shape or type ("different number of elements selected", "no appropriate function for
// conversion path") and reads fill values for a missing file: the mistake would surface in
// whoever reads the master, long after it was made. Lock held.
void CheckSource(const FileState& master, const VirtualSource& source, hid_t type, const std::string& where) {
  std::string named = "virtual source '" + source.file + ":" + source.dataset + "'";
  bool own = source.file == ".";
  std::string path = own ? master.path : SourcePath(master.path, source.file);
  FileId opened(own ? H5I_INVALID_HID : H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  if (!own && opened.get() < 0) FailH5("cannot open " + named + " (as '" + path + "') for", where);
  DatasetId dataset(H5Dopen2(own ? master.id : opened.get(), source.dataset.c_str(), H5P_DEFAULT));
  if (dataset.get() < 0) FailH5("cannot open " + named + " for", where);
  SpaceId space(Check(H5Dget_space(dataset.get()), "cannot get dataspace of " + named + " for", where));
  Shape actual = SpaceShape(space.get());
  std::vector<hsize_t> mapped = Dims(source.shape);
  if (!actual || *actual != mapped) {
    FailUsage(named + " has shape " + (actual ? DimsText(*actual) : "null") + ", mapped as " + DimsText(mapped), where);
  }
  TypeId sourceType(Check(H5Dget_type(dataset.get()), "cannot get type of " + named + " for", where));
  H5T_cdata_t* conversion = nullptr;
  if (H5Tfind(sourceType.get(), type, &conversion) == nullptr) {
    H5Eclear2(H5E_DEFAULT);
    FailUsage(named + " has a type HDF5 cannot convert to the virtual dataset's", where);
  }
}

// The creation list: the fill value, then one mapping per source. Caller closes. Lock held.
hid_t VirtualCreationList(const FileState& master, hid_t space, hid_t type, const std::vector<VirtualSource>& sources,
                          OutgoingData* fill, const std::string& where) {
  PlistId dcpl(Check(H5Pcreate(H5P_DATASET_CREATE), "cannot create dataset property list", where));
  H5Pset_obj_track_times(dcpl.get(), 0);
  if (fill) {
    TypeId fillType(fill->Type().Build());
    Check(H5Pset_fill_value(dcpl.get(), fillType.get(), fill->Bytes(where)), "invalid fill value for", where);
  }
  for (const VirtualSource& source : sources) {
    CheckSource(master, source, type, where);
    std::vector<hsize_t> start = Dims(source.start), shape = Dims(source.shape), one(shape.size(), 1);
    // An empty source (a shard of no rows) maps nothing. HDF5 would store it as an empty
    // selection that has lost its position, so it is checked and then left out.
    if (std::find(shape.begin(), shape.end(), 0) != shape.end()) continue;
    SpaceId block(Check(H5Scopy(space), "cannot copy dataspace of", where));
    Check(H5Sselect_hyperslab(block.get(), H5S_SELECT_SET, start.data(), nullptr, one.data(), shape.data()),
          "cannot select the block of virtual source '" + source.file + ":" + source.dataset + "' in", where);
    SpaceId whole(Check(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr),
                        "cannot create source dataspace for", where));
    Check(H5Sselect_all(whole.get()), "cannot select source dataspace for", where);
    Check(H5Pset_virtual(dcpl.get(), block.get(), EscapePercent(source.file).c_str(), EscapePercent(source.dataset).c_str(),
                         whole.get()),
          "cannot map virtual source '" + source.file + ":" + source.dataset + "' in", where);
  }
  return dcpl.release();
}

struct Created {
  hid_t id = H5I_INVALID_HID;
  DatasetInfo info;
};

// virtualDatasetCreate(loc, name, type, shape, maxshape, sources, fill?) → { handle, info }.
// A failure leaves no dataset behind.
Job VirtualDatasetCreate(const Napi::CallbackInfo& info) {
  Job job;
  Handle* loc = PinnedHandle(job, info[0]);
  std::string name = info[1].ToString().Utf8Value();
  TypeSpec type = TypeSpec::FromJs(info[2]);
  Shape shape = ShapeFromJs(info[3]);
  bool hasMax = !(info[4].IsNull() || info[4].IsUndefined());
  Shape maxShape = hasMax ? ShapeFromJs(info[4]) : Shape();
  if (!shape || shape->empty()) throw Napi::TypeError::New(info.Env(), "a virtual dataset needs a shape of one axis or more");
  std::vector<VirtualSource> sources = SourcesFromJs(info[5], shape->size());
  auto fill = info[6].IsObject() ? std::make_shared<OutgoingData>(OutgoingData::FromJs(info[6], job.pins)) : nullptr;
  auto created = std::make_shared<Created>();
  job.Locked([=]() {
    std::string where = JoinPath(loc->Path(), name);
    hid_t locId = loc->Id();  // first: it fails on a closed file, whose id the source checks use
    TypeId fileType(type.Build());
    SpaceId space(CreateSpace(shape, maxShape, where));
    PlistId dcpl(VirtualCreationList(*loc->File(), space.get(), fileType.get(), sources, fill.get(), where));
    PlistId lcpl(LinkCreationList());
    hid_t id = H5Dcreate2(locId, name.c_str(), fileType.get(), space.get(), lcpl.get(), dcpl.get(), H5P_DEFAULT);
    Check(id, "cannot create virtual dataset", where);
    try {
      created->info = DescribeDataset(id, where);
    } catch (...) {
      H5Dclose(id);
      H5Ldelete(locId, name.c_str(), H5P_DEFAULT);
      H5Eclear2(H5E_DEFAULT);
      throw;
    }
    created->id = id;
    loc->File()->objects.insert(id);
  });
  job.done = [loc, created](Napi::Env env) -> Napi::Value {
    Napi::Object result = Napi::Object::New(env);
    result.Set("handle", Handle::New(env, created->id, loc->File(), created->info.path, HandleKind::Dataset));
    result.Set("info", created->info.ToJs(env));
    return result;
  };
  return job;
}

// Mapping `index` of a virtual dataset's creation list: the bounding block of its destination
// selection, and its source's names. Lock held.
VirtualSource MappingOf(hid_t dcpl, size_t index, const std::string& where) {
  VirtualSource mapping;
  ssize_t fileLength = Check(H5Pget_virtual_filename(dcpl, index, nullptr, 0), "cannot get virtual source of", where);
  ssize_t datasetLength = Check(H5Pget_virtual_dsetname(dcpl, index, nullptr, 0), "cannot get virtual source of", where);
  std::vector<char> file(static_cast<size_t>(fileLength) + 1, 0), dataset(static_cast<size_t>(datasetLength) + 1, 0);
  Check(H5Pget_virtual_filename(dcpl, index, file.data(), file.size()), "cannot get virtual source of", where);
  Check(H5Pget_virtual_dsetname(dcpl, index, dataset.data(), dataset.size()), "cannot get virtual source of", where);
  mapping.file = UnescapePercent(file.data());
  mapping.dataset = UnescapePercent(dataset.data());
  SpaceId block(Check(H5Pget_virtual_vspace(dcpl, index), "cannot get virtual mapping of", where));
  int rank = Check(H5Sget_simple_extent_ndims(block.get()), "cannot get rank of virtual mapping of", where);
  std::vector<hsize_t> start(rank, 0), end(rank, 0);
  // An empty block has no bounds: it maps nothing, at the origin.
  bool empty = H5Sget_select_type(block.get()) == H5S_SEL_NONE;
  if (!empty) Check(H5Sget_select_bounds(block.get(), start.data(), end.data()), "cannot get bounds of virtual mapping of", where);
  for (int i = 0; i < rank; i++) {
    mapping.start.push_back(static_cast<double>(start[i]));
    mapping.shape.push_back(empty ? 0 : end[i] == H5S_UNLIMITED ? INFINITY : static_cast<double>(end[i] - start[i] + 1));
  }
  return mapping;
}

Napi::Array IndexesToJs(Napi::Env env, const std::vector<double>& indexes) {
  Napi::Array array = Napi::Array::New(env, indexes.size());
  for (size_t i = 0; i < indexes.size(); i++) array.Set(i, indexes[i]);
  return array;
}

// virtualSources(dataset) → [{ file, dataset, start, shape }], empty when it is not virtual.
Job VirtualSources(const Napi::CallbackInfo& info) {
  Job job;
  Handle* dataset = PinnedHandle(job, info[0]);
  auto mappings = std::make_shared<std::vector<VirtualSource>>();
  job.Locked([dataset, mappings]() {
    const std::string& where = dataset->Path();
    PlistId dcpl(Check(H5Dget_create_plist(dataset->Id()), "cannot get creation list of", where));
    if (H5Pget_layout(dcpl.get()) != H5D_VIRTUAL) return;
    size_t count = 0;
    Check(H5Pget_virtual_count(dcpl.get(), &count), "cannot get virtual mappings of", where);
    for (size_t i = 0; i < count; i++) mappings->push_back(MappingOf(dcpl.get(), i, where));
  });
  job.done = [mappings](Napi::Env env) -> Napi::Value {
    Napi::Array array = Napi::Array::New(env, mappings->size());
    for (size_t i = 0; i < mappings->size(); i++) {
      const VirtualSource& mapping = (*mappings)[i];
      Napi::Object object = Napi::Object::New(env);
      object.Set("file", mapping.file);
      object.Set("dataset", mapping.dataset);
      object.Set("start", IndexesToJs(env, mapping.start));
      object.Set("shape", IndexesToJs(env, mapping.shape));
      array.Set(i, object);
    }
    return array;
  };
  return job;
}

}  // namespace

void InitVirtualDataset(Napi::Env env, Napi::Object exports) {
  ExportJobs(env, exports, {{"virtualDatasetCreate", VirtualDatasetCreate}, {"virtualSources", VirtualSources}});
}

}  // namespace h5dat
