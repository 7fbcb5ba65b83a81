// Describing a dataset without reading its data (see dataset_info.h).
#include "hdf5/dataset_info.h"

#include "core/h5_failure.h"
#include "core/scoped_id.h"
#include "hdf5/external_access.h"
#include "hdf5/object_path.h"

namespace h5dat {
namespace {

// 2^53: past it a JS number no longer holds every integer (2^60 would print as 1152921504606847000).
constexpr hsize_t kLargestExactDouble = hsize_t(1) << 53;

bool HasInexactDim(const Shape& shape) {
  if (!shape) return false;
  for (hsize_t dim : *shape) {
    if (dim != H5S_UNLIMITED && dim > kLargestExactDouble) return true;
  }
  return false;
}

// The dims as BigInts (unlimited as null), for shapes a JS number cannot hold exactly.
Napi::Value ExactShapeToJs(Napi::Env env, const Shape& shape) {
  if (!shape) return env.Null();
  Napi::Array array = Napi::Array::New(env, shape->size());
  for (size_t i = 0; i < shape->size(); i++) {
    hsize_t dim = (*shape)[i];
    if (dim == H5S_UNLIMITED) {
      array.Set(i, env.Null());
    } else {
      array.Set(i, Napi::BigInt::New(env, static_cast<uint64_t>(dim)));
    }
  }
  return array;
}

}  // namespace

DatasetInfo DescribeDataset(hid_t dataset, const std::string& path) {
  DatasetInfo info;
  info.path = ObjectPath(dataset, path);
  TypeId type(Check(H5Dget_type(dataset), "cannot get type of", path));
  info.type = TypeSpec::Describe(type.get());
  SpaceId space(Check(H5Dget_space(dataset), "cannot get dataspace of", path));
  info.shape = SpaceShape(space.get(), &info.maxShape);
  PlistId plist(Check(H5Dget_create_plist(dataset), "cannot get creation list of", path));
  hid_t dcpl = plist.get();
  switch (H5Pget_layout(dcpl)) {
    case H5D_COMPACT: info.layout = "compact"; break;
    case H5D_CONTIGUOUS: info.layout = "contiguous"; break;
    case H5D_CHUNKED: info.layout = "chunked"; break;
    case H5D_VIRTUAL: info.layout = "virtual"; break;
    default: info.layout = "unknown"; break;
  }
  if (info.layout == "chunked") {
    int rank = H5Pget_chunk(dcpl, 0, nullptr);
    info.chunks.resize(rank > 0 ? rank : 0);
    H5Pget_chunk(dcpl, rank, info.chunks.data());
  }
  int filters = H5Pget_nfilters(dcpl);
  for (int i = 0; i < filters; i++) {
    FilterInfo filter;
    unsigned flags, config;
    size_t count = 16;
    unsigned values[16];
    char name[256] = {0};
    filter.id = H5Pget_filter2(dcpl, static_cast<unsigned>(i), &flags, &count, values, sizeof name, name, &config);
    filter.name = name;
    filter.available = H5Zfilter_avail(static_cast<H5Z_filter_t>(filter.id)) > 0;
    filter.values.assign(values, values + (count < 16 ? count : 16));
    info.filters.push_back(std::move(filter));
  }
  info.storageSize = H5Dget_storage_size(dataset);
  OutsideStorage storage = OutsideStorageOf(dcpl, path);
  if (storage.kind != OutsideStorage::Kind::None) info.outside = storage.Describe();
  return info;
}

Napi::Object DatasetInfo::ToJs(Napi::Env env) const {
  Napi::Object object = Napi::Object::New(env);
  object.Set("path", path);
  object.Set("shape", ShapeToJs(env, shape));
  object.Set("maxshape", ShapeToJs(env, maxShape, true));
  // Only when some dim is past 2^53, so the common case costs nothing and the number shape stays
  // the API; listings print these.
  if (HasInexactDim(shape) || HasInexactDim(maxShape)) {
    object.Set("exactShape", ExactShapeToJs(env, shape));
    object.Set("exactMaxshape", ExactShapeToJs(env, maxShape));
  }
  object.Set("type", type.ToJs(env));
  object.Set("layout", layout);
  if (chunks.empty()) {
    object.Set("chunks", env.Null());
  } else {
    object.Set("chunks", ShapeToJs(env, Shape(chunks)));
  }
  Napi::Array filterArray = Napi::Array::New(env, filters.size());
  for (size_t i = 0; i < filters.size(); i++) {
    Napi::Object filter = Napi::Object::New(env);
    filter.Set("id", filters[i].id);
    filter.Set("name", filters[i].name);
    Napi::Array values = Napi::Array::New(env, filters[i].values.size());
    for (size_t j = 0; j < filters[i].values.size(); j++) values.Set(j, filters[i].values[j]);
    filter.Set("values", values);
    filter.Set("available", filters[i].available);
    filterArray.Set(i, filter);
  }
  object.Set("filters", filterArray);
  object.Set("outside", outside.empty() ? env.Null() : Napi::Value(Napi::String::New(env, outside)));
  object.Set("storageSize", static_cast<double>(storageSize));
  return object;
}

}  // namespace h5dat
