// Attributes of a file, group or dataset: list, test, delete, read and write (any type, scalar
// or array). Writing replaces an existing attribute of the same name, as h5py does.
#include <cstring>
#include <vector>

#include "core/h5_failure.h"
#include "core/handle.h"
#include "core/job.h"
#include "core/operations.h"
#include "core/scoped_id.h"
#include "hdf5/attribute_write.h"
#include "hdf5/name_list.h"
#include "hdf5/object_path.h"
#include "types/dataspace.h"
#include "types/payload.h"
#include "types/read_type.h"

namespace h5dat {
namespace {

std::string AttrPath(Handle* loc, const std::string& name) { return AttrPathOf(loc->Path(), name); }

Job AttrList(const Napi::CallbackInfo& info) {
  return NameListJob<H5A_info_t>(info, H5Aiterate2, "cannot list attributes of");
}

// attrCount(loc) → how many attributes: from the object header's count, where listing them
// (H5Aiterate) makes HDF5 decode every dense attribute whole (+200 MB for `ls` of an object
// with a 100 MB attribute).
Job AttrCount(const Napi::CallbackInfo& info) {
  Job job;
  Handle* loc = PinnedHandle(job, info[0]);
  auto count = std::make_shared<hsize_t>(0);
  job.Locked([loc, count]() {
    H5O_info2_t object;
    Check(H5Oget_info3(loc->Id(), &object, H5O_INFO_NUM_ATTRS), "cannot count attributes of", loc->Path());
    *count = object.num_attrs;
  });
  job.done = [count](Napi::Env env) -> Napi::Value { return Napi::Number::New(env, static_cast<double>(*count)); };
  return job;
}

Job AttrExists(const Napi::CallbackInfo& info) {
  Job job;
  Handle* loc = PinnedHandle(job, info[0]);
  std::string name = info[1].ToString().Utf8Value();
  auto exists = std::make_shared<bool>(false);
  job.Locked([loc, name, exists]() {
    *exists = Check(H5Aexists(loc->Id(), name.c_str()), "cannot check attribute", AttrPath(loc, name)) > 0;
  });
  job.done = FlagResult(exists);
  return job;
}

Job AttrDelete(const Napi::CallbackInfo& info) {
  Job job;
  Handle* loc = PinnedHandle(job, info[0]);
  std::string name = info[1].ToString().Utf8Value();
  job.Locked([loc, name]() {
    if (H5Aexists(loc->Id(), name.c_str()) <= 0) FailUsage("no such attribute", AttrPath(loc, name));
    Check(H5Adelete(loc->Id(), name.c_str()), "cannot delete attribute", AttrPath(loc, name));
  });
  return job;
}

struct AttrValue {
  TypeSpec fileType;
  Shape shape;
  hssize_t points = 0;
  IncomingData data;
};

// The first `keep` of an attribute's `points` elements, in C order. HDF5 has no partial read of
// an attribute (H5Aread takes all of it, and H5Aopen already holds all of it), so it is read
// into a block of its own that is freed here: only the first elements, and the strings and
// sequences they point to, go on to JS — a preview of a 600 MB attribute no longer becomes
// 75 million JS values. The slots of the rest are reclaimed. Lock held.
void ReadHead(hid_t attr, hid_t memType, const TypeSpec& memSpec, hssize_t points, size_t keep, AttrValue& value, hid_t loc,
              const std::string& where) {
  IncomingData whole;
  whole.Allocate(memSpec, static_cast<size_t>(points), where);
  Check(H5Aread(attr, memType, whole.Bytes()), "cannot read attribute", where);
  std::memcpy(value.data.Bytes(), whole.Bytes(), keep * memSpec.size);
  if (!memSpec.HasSlots()) return;
  // The copied slots belong to value.data now; the rest are freed from `whole`.
  hsize_t all = static_cast<hsize_t>(points);
  SpaceId rest(Check(H5Screate_simple(1, &all, nullptr), "cannot make dataspace for", where));
  hsize_t start = keep;
  hsize_t count = all - keep;
  Check(H5Sselect_hyperslab(rest.get(), H5S_SELECT_SET, &start, nullptr, &count, nullptr), "cannot select in", where);
  hsize_t kept = keep;
  SpaceId head(Check(H5Screate_simple(1, &kept, nullptr), "cannot make dataspace for", where));
  try {
    value.data.TakeSlots(memType, head.get(), loc, where);
  } catch (...) {
    H5Treclaim(memType, rest.get(), H5P_DEFAULT, whole.Bytes());
    throw;
  }
  H5Treclaim(memType, rest.get(), H5P_DEFAULT, whole.Bytes());
}

// attrRead(loc, name, options?, limit?) → { fileType, shape, points, type, bytes, strings?,
// sequences?, references? }; options as datasetRead's. With `limit`, at most that many elements
// (the first, in C order) come back; `points` says how many the attribute has.
Job AttrRead(const Napi::CallbackInfo& info) {
  Job job;
  Handle* loc = PinnedHandle(job, info[0]);
  std::string name = info[1].ToString().Utf8Value();
  ReadOptions options = ReadOptionsFromJs(info[2]);
  double limit = info.Length() > 3 && info[3].IsNumber() ? info[3].As<Napi::Number>().DoubleValue() : -1;
  auto value = std::make_shared<AttrValue>();
  job.Locked([loc, name, options, limit, value]() {
    std::string where = AttrPath(loc, name);
    if (H5Aexists(loc->Id(), name.c_str()) <= 0) FailUsage("no such attribute", where);
    AttrId attr(Check(H5Aopen(loc->Id(), name.c_str(), H5P_DEFAULT), "cannot open attribute", where));
    {
      TypeId fileType(Check(H5Aget_type(attr.get()), "cannot get type of", where));
      value->fileType = TypeSpec::Describe(fileType.get());
      TypeId memType(MemoryType(fileType.get(), options, where));
      TypeSpec memSpec = TypeSpec::Describe(memType.get());
      SpaceId space(Check(H5Aget_space(attr.get()), "cannot get dataspace of", where));
      value->shape = SpaceShape(space.get());
      hssize_t points = value->shape ? H5Sget_simple_extent_npoints(space.get()) : 0;
      if (points < 0) FailH5("cannot count elements of", where);
      value->points = points;
      if (limit >= 0 && static_cast<double>(points) > limit) {
        size_t keep = static_cast<size_t>(limit);
        value->data.Allocate(memSpec, keep, where);
        ReadHead(attr.get(), memType.get(), memSpec, points, keep, *value, loc->Id(), where);
        return;
      }
      value->data.Allocate(memSpec, static_cast<size_t>(points), where);
      if (points > 0) {
        Check(H5Aread(attr.get(), memType.get(), value->data.Bytes()), "cannot read attribute", where);
        value->data.TakeSlots(memType.get(), space.get(), loc->Id(), where);
      }
    }
  });
  job.done = [value](Napi::Env env) -> Napi::Value {
    Napi::Object result = value->data.ToJs(env);
    result.Set("fileType", value->fileType.ToJs(env));
    result.Set("shape", ShapeToJs(env, value->shape));
    result.Set("points", Napi::Number::New(env, static_cast<double>(value->points)));
    return result;
  };
  return job;
}

// attrWrite(loc, name, fileType, shape, data)
Job AttrWrite(const Napi::CallbackInfo& info) {
  Job job;
  Handle* loc = PinnedHandle(job, info[0]);
  auto spec = std::make_shared<AttrWriteSpec>(AttrWriteSpecFromJs(info[1], info[2], info[3], info[4], job.pins));
  job.Locked([loc, spec]() { WriteAttr(loc->Id(), loc->Path(), *spec); });
  return job;
}

// attrWriteMany(loc, [{ name, fileType, shape, data }, ...]): several attributes in one turn of
// the lock (one thread-pool round trip instead of one per attribute), in order; the first
// failure stops it, the attributes before it stay written.
Job AttrWriteMany(const Napi::CallbackInfo& info) {
  Job job;
  Handle* loc = PinnedHandle(job, info[0]);
  Napi::Array list = info[1].As<Napi::Array>();
  auto specs = std::make_shared<std::vector<AttrWriteSpec>>(AttrWriteSpecsFromJs(list, job.pins));
  job.Locked([loc, specs]() {
    for (const AttrWriteSpec& spec : *specs) WriteAttr(loc->Id(), loc->Path(), spec);
  });
  return job;
}

}  // namespace

AttrWriteSpec AttrWriteSpecFromJs(Napi::Value name, Napi::Value fileType, Napi::Value shape, Napi::Value data,
                                  std::vector<Napi::Value>& pins) {
  return {name.ToString().Utf8Value(), TypeSpec::FromJs(fileType), ShapeFromJs(shape),
          std::make_shared<OutgoingData>(OutgoingData::FromJs(data, pins))};
}

std::vector<AttrWriteSpec> AttrWriteSpecsFromJs(Napi::Array list, std::vector<Napi::Value>& pins) {
  std::vector<AttrWriteSpec> specs;
  for (uint32_t i = 0; i < list.Length(); i++) {
    Napi::Object item = list.Get(i).As<Napi::Object>();
    specs.push_back(AttrWriteSpecFromJs(item.Get("name"), item.Get("fileType"), item.Get("shape"), item.Get("data"), pins));
  }
  return specs;
}

void WriteAttr(hid_t id, const std::string& objectPath, const AttrWriteSpec& spec, bool mayExist) {
  std::string where = AttrPathOf(objectPath, spec.name);
  SpaceId space(CreateSpace(spec.shape, Shape(), where));
  hssize_t points = spec.shape ? H5Sget_simple_extent_npoints(space.get()) : 0;
  if (static_cast<size_t>(points) != spec.data->ElementCount()) {
    FailUsage("data has " + std::to_string(spec.data->ElementCount()) + " elements, the shape " + std::to_string(points), where);
  }
  TypeId type(spec.fileType.Build());
  TypeId memType(spec.data->Type().Build());
  const void* bytes = spec.data->Bytes(where, id);
  if (mayExist && H5Aexists(id, spec.name.c_str()) > 0) Check(H5Adelete(id, spec.name.c_str()), "cannot replace attribute", where);
  PlistId acpl(Check(H5Pcreate(H5P_ATTRIBUTE_CREATE), "cannot create attribute creation list", where));
  H5Pset_char_encoding(acpl.get(), H5T_CSET_UTF8);
  AttrId attr(Check(H5Acreate2(id, spec.name.c_str(), type.get(), space.get(), acpl.get(), H5P_DEFAULT),
                    "cannot create attribute", where));
  if (points > 0) Check(H5Awrite(attr.get(), memType.get(), bytes), "cannot write attribute", where);
}

void InitAttribute(Napi::Env env, Napi::Object exports) {
  ExportJobs(env, exports, {{"attrList", AttrList}, {"attrCount", AttrCount}, {"attrExists", AttrExists},
                            {"attrDelete", AttrDelete}, {"attrRead", AttrRead}, {"attrWrite", AttrWrite},
                            {"attrWriteMany", AttrWriteMany}});
}

}  // namespace h5dat
