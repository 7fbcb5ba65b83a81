// Shapes and selections between JS and HDF5 dataspaces (see dataspace.h).
#include "types/dataspace.h"

#include "core/h5_failure.h"

namespace h5dat {
namespace {

std::vector<hsize_t> DimsFromJs(const Napi::Value& value, const char* what, bool allowUnlimited = false) {
  Napi::Env env = value.Env();
  if (!value.IsArray()) throw Napi::TypeError::New(env, std::string(what) + " must be an array of sizes");
  Napi::Array array = value.As<Napi::Array>();
  std::vector<hsize_t> dims;
  for (uint32_t i = 0; i < array.Length(); i++) {
    Napi::Value item = array.Get(i);
    double number = item.IsNumber() ? item.As<Napi::Number>().DoubleValue() : -2;
    if (allowUnlimited && (item.IsNull() || number == -1)) {
      dims.push_back(H5S_UNLIMITED);
      continue;
    }
    if (number < 0) throw Napi::RangeError::New(env, std::string(what) + " holds a negative or non-numeric size");
    dims.push_back(static_cast<hsize_t>(number));
  }
  return dims;
}

}  // namespace

Shape ShapeFromJs(const Napi::Value& value) {
  if (value.IsNull() || value.IsUndefined()) return std::nullopt;
  return DimsFromJs(value, "shape", true);
}

Napi::Value ShapeToJs(Napi::Env env, const Shape& shape, bool maxShape) {
  if (!shape) return env.Null();
  Napi::Array array = Napi::Array::New(env, shape->size());
  for (size_t i = 0; i < shape->size(); i++) {
    hsize_t dim = (*shape)[i];
    if (maxShape && dim == H5S_UNLIMITED) {
      array.Set(i, env.Null());
    } else {
      array.Set(i, static_cast<double>(dim));
    }
  }
  return array;
}

hid_t CreateSpace(const Shape& shape, const Shape& maxShape, const std::string& path) {
  if (!shape) return Check(H5Screate(H5S_NULL), "cannot create null dataspace", path);
  if (shape->empty()) return Check(H5Screate(H5S_SCALAR), "cannot create scalar dataspace", path);
  const hsize_t* max = nullptr;
  if (maxShape) {
    if (maxShape->size() != shape->size()) FailUsage("maxshape must have as many dimensions as shape", path);
    max = maxShape->data();
  }
  return Check(H5Screate_simple(static_cast<int>(shape->size()), shape->data(), max), "cannot create dataspace", path);
}

Shape SpaceShape(hid_t space, Shape* maxShape) {
  H5S_class_t cls = H5Sget_simple_extent_type(space);
  if (cls == H5S_NULL) {
    if (maxShape) *maxShape = std::nullopt;
    return std::nullopt;
  }
  int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(rank > 0 ? rank : 0), max(rank > 0 ? rank : 0);
  H5Sget_simple_extent_dims(space, dims.data(), max.data());
  if (maxShape) *maxShape = max;
  return dims;
}

Selection Selection::FromJs(const Napi::Value& value) {
  Selection selection;
  if (value.IsNull() || value.IsUndefined()) return selection;
  Napi::Object object = value.As<Napi::Object>();
  selection.all = false;
  selection.start = DimsFromJs(object.Get("start"), "selection.start");
  selection.count = DimsFromJs(object.Get("count"), "selection.count");
  if (object.Has("stride") && !object.Get("stride").IsUndefined()) selection.stride = DimsFromJs(object.Get("stride"), "selection.stride");
  if (object.Has("block") && !object.Get("block").IsUndefined()) selection.block = DimsFromJs(object.Get("block"), "selection.block");
  return selection;
}

hid_t Selection::Apply(hid_t fileSpace, const std::string& path) const {
  if (all) {
    if (H5Sget_simple_extent_type(fileSpace) == H5S_NULL) return Check(H5Screate(H5S_NULL), "cannot create dataspace", path);
    return Check(H5Scopy(fileSpace), "cannot copy dataspace", path);
  }
  int rank = H5Sget_simple_extent_ndims(fileSpace);
  if (static_cast<size_t>(rank) != start.size() || start.size() != count.size() ||
      (!stride.empty() && stride.size() != start.size()) || (!block.empty() && block.size() != start.size())) {
    FailUsage("selection has " + std::to_string(start.size()) + " dimensions, the dataspace " + std::to_string(rank), path);
  }
  if (rank == 0) return Check(H5Screate(H5S_SCALAR), "cannot create dataspace", path);
  Check(H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, start.data(), stride.empty() ? nullptr : stride.data(),
                            count.data(), block.empty() ? nullptr : block.data()),
        "invalid selection on", path);
  if (H5Sselect_valid(fileSpace) <= 0) {
    std::vector<hsize_t> dims(rank);
    H5Sget_simple_extent_dims(fileSpace, dims.data(), nullptr);
    std::string extent;
    for (size_t i = 0; i < dims.size(); i++) extent += (i ? ", " : "") + std::to_string(dims[i]);
    FailUsage("selection out of range for shape [" + extent + "]", path);
  }
  std::vector<hsize_t> memDims(count);
  for (size_t i = 0; i < memDims.size(); i++) memDims[i] *= block.empty() ? 1 : block[i];
  return Check(H5Screate_simple(rank, memDims.data(), nullptr), "cannot create memory dataspace", path);
}

}  // namespace h5dat
