#pragma once
// Shapes and hyperslab selections between JS and HDF5 dataspaces.
// JS shapes: [] is a scalar, null is HDF5's null (empty) dataspace, [d0, d1, ...] a simple one;
// in a maxshape, -1 stands for unlimited.
#include <hdf5.h>
#include <napi.h>

#include <optional>
#include <string>
#include <vector>

#include "core/scoped_id.h"

namespace h5dat {

using Shape = std::optional<std::vector<hsize_t>>;  // nullopt = null dataspace

Shape ShapeFromJs(const Napi::Value& value);
Napi::Value ShapeToJs(Napi::Env env, const Shape& shape, bool maxShape = false);

// A new dataspace; `maxShape` may be empty (same as shape). Lock held.
hid_t CreateSpace(const Shape& shape, const Shape& maxShape, const std::string& path);
// The current and maximum extents of a dataspace. Lock held.
Shape SpaceShape(hid_t space, Shape* maxShape = nullptr);

// A hyperslab { start, count, stride?, block? } or "everything" (null/undefined).
struct Selection {
  bool all = true;
  std::vector<hsize_t> start, count, stride, block;
  static Selection FromJs(const Napi::Value& value);
  // Selects on `fileSpace` and returns a memory space for the selected points. Lock held.
  hid_t Apply(hid_t fileSpace, const std::string& path) const;
};

}  // namespace h5dat
